package dev.feedplatform.economy;

import java.time.Duration;

import dev.feedplatform.common.error.Problem;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.springframework.stereotype.Component;

/**
 * Per-user rate limits on paid and PK actions, across nodes: Redisson's
 * {@link RRateLimiter}, one token bucket per user and action in Redis (the card's
 * library; no home-made counters). A limiter whose configuration Redis lost is configured
 * again on the spot.
 */
@Component
public class RateLimits {

	/** An idle user's limiter leaves Redis after this long. */
	static final Duration KEEP_ALIVE = Duration.ofMinutes(10);

	private final RedissonClient redisson;

	RateLimits(RedissonClient redisson) {
		this.redisson = redisson;
	}

	/**
	 * Takes one permit from the bucket at {@code key} ({@code rate} per
	 * {@code interval}).
	 * @throws Problem 429 with {@code detail} when the bucket is empty
	 */
	public void admit(String key, int rate, Duration interval, String detail) {
		RRateLimiter limiter = this.redisson.getRateLimiter(key);
		boolean admitted;
		try {
			admitted = limiter.tryAcquire();
		}
		catch (RuntimeException notConfigured) {
			limiter.trySetRate(RateType.OVERALL, rate, interval, KEEP_ALIVE);
			admitted = limiter.tryAcquire();
		}
		if (!admitted) {
			throw Problem.tooManyRequests(detail);
		}
	}

}
