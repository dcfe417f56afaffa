package dev.feedplatform.liveroombridge.im;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.feedplatform.common.keys.RedisKeys;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.springframework.stereotype.Component;

/**
 * How fast a user may send chat messages: {@code send-rate} a second over all their devices and
 * every node, with Redisson's {@link RRateLimiter} (one shared token bucket per user in Redis).
 * Each node remembers for a while which users' limiters it has configured; a limiter whose state
 * Redis lost (a restart) is configured again on the next send.
 */
@Component
class SendRate {

	/** An idle user's limiter state leaves Redis after this long. */
	static final Duration KEEP_ALIVE = Duration.ofMinutes(10);

	private final RedissonClient redisson;

	private final ImSettings settings;

	private final Cache<Long, RRateLimiter> configured = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(5)).maximumSize(100_000).build();

	SendRate(RedissonClient redisson, ImSettings settings) {
		this.redisson = redisson;
		this.settings = settings;
	}

	/** Takes one send from the user's bucket; false when they send too fast. */
	boolean admit(long userId) {
		RRateLimiter limiter = this.configured.get(userId, this::configure);
		try {
			return limiter.tryAcquire();
		}
		catch (RuntimeException lost) {
			// Redis lost the limiter's configuration ("RateLimiter is not initialized"): set it again.
			limiter = configure(userId);
			this.configured.put(userId, limiter);
			return limiter.tryAcquire();
		}
	}

	private RRateLimiter configure(long userId) {
		RRateLimiter limiter = this.redisson.getRateLimiter(RedisKeys.imSendRate(userId));
		limiter.trySetRate(RateType.OVERALL, this.settings.sendRate(), Duration.ofSeconds(1), KEEP_ALIVE);
		return limiter;
	}

}
