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
 * How fast a user may send chat messages: {@code send-rate} a second over all their
 * devices and every node, with Redisson's {@link RRateLimiter} (one shared token bucket
 * per user in Redis). A node takes up to a tenth of a second's permits at once (at most
 * {@value #MAX_TAKE}) and spends them locally for up to {@value #HOLD_MILLIS} ms: a busy
 * sender costs a Redis script every few messages instead of every message (it was 8% of
 * the platform's CPU at 2,000 messages a second), and the limit overshoots by at most
 * that many permits per node. A limiter whose state Redis lost (a restart) is configured
 * again on the next send.
 */
@Component
class SendRate {

	/** An idle user's limiter state leaves Redis after this long. */
	static final Duration KEEP_ALIVE = Duration.ofMinutes(10);

	/** Most permits a node takes at once. */
	static final int MAX_TAKE = 10;

	/** Permits taken and not spent within this long are dropped. */
	static final long HOLD_MILLIS = 1000;

	/** A user's permits on this node. */
	private static final class Held {

		final RRateLimiter limiter;

		int permits;

		long takenAt;

		Held(RRateLimiter limiter) {
			this.limiter = limiter;
		}

	}

	private final RedissonClient redisson;

	private final ImSettings settings;

	private final int take;

	private final Cache<Long, Held> users = Caffeine.newBuilder()
		.expireAfterAccess(Duration.ofMinutes(5))
		.maximumSize(100_000)
		.build();

	SendRate(RedissonClient redisson, ImSettings settings) {
		this.redisson = redisson;
		this.settings = settings;
		this.take = Math.max(1, Math.min(MAX_TAKE, settings.sendRate() / 10));
	}

	/** Takes one send from the user's bucket; false when they send too fast. */
	boolean admit(long userId) {
		Held held = this.users.get(userId, id -> new Held(configure(id)));
		synchronized (held) {
			long now = System.currentTimeMillis();
			if (held.permits > 0 && now - held.takenAt < HOLD_MILLIS) {
				held.permits--;
				return true;
			}
			held.permits = 0;
			int got = acquire(userId, held);
			if (got == 0) {
				return false;
			}
			held.permits = got - 1;
			held.takenAt = now;
			return true;
		}
	}

	private int acquire(long userId, Held held) {
		try {
			return tryTake(held.limiter);
		}
		catch (RuntimeException lost) {
			// Redis lost the limiter's configuration ("RateLimiter is not initialized"):
			// set it again.
			return tryTake(configure(userId));
		}
	}

	private int tryTake(RRateLimiter limiter) {
		if (this.take > 1) {
			try {
				if (limiter.tryAcquire(this.take)) {
					return this.take;
				}
			}
			catch (RuntimeException overRate) {
				// The limiter was configured with a lower rate (another node's setting,
				// an operator's):
				// Redisson refuses to take more permits at once than the rate. One at a
				// time then.
			}
		}
		return limiter.tryAcquire() ? 1 : 0;
	}

	private RRateLimiter configure(long userId) {
		RRateLimiter limiter = this.redisson.getRateLimiter(RedisKeys.imSendRate(userId));
		limiter.trySetRate(RateType.OVERALL, this.settings.sendRate(), Duration.ofSeconds(1), KEEP_ALIVE);
		return limiter;
	}

}
