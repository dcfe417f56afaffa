package dev.feedplatform.searchsync.sync;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The right to run the binlog sync, held by one app instance at a time. A Canal destination
 * serves one consumer (its cursor is per destination), so several instances reading at once would
 * steal each other's batches. The holder renews well inside the TTL; a holder that dies blocks the
 * others for at most one TTL. Two holders overlapping for a moment (a long GC pause) cost nothing
 * but repeated work: every search write is versioned.
 */
public class SyncLease {

	private static final RedisScript<Long> RENEW = RedisScript.of("""
			if redis.call('GET', KEYS[1]) == ARGV[1] then
			  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
			end
			return 0""", Long.class);

	private static final RedisScript<Long> RELEASE = RedisScript.of("""
			if redis.call('GET', KEYS[1]) == ARGV[1] then
			  return redis.call('DEL', KEYS[1])
			end
			return 0""", Long.class);

	private final StringRedisTemplate redis;

	private final Duration ttl;

	private final String token = UUID.randomUUID().toString();

	private final String key;

	/** The lease of one Canal destination's sync. */
	public SyncLease(StringRedisTemplate redis, Duration ttl, String destination) {
		this.redis = redis;
		this.ttl = ttl;
		this.key = RedisKeys.searchSyncLease(destination);
	}

	/** Takes the lease if free or already ours; true while this instance holds it. */
	public boolean acquireOrRenew() {
		if (Long.valueOf(1).equals(this.redis.execute(RENEW, List.of(this.key), this.token,
				Long.toString(this.ttl.toMillis())))) {
			return true;
		}
		return Boolean.TRUE.equals(this.redis.opsForValue().setIfAbsent(this.key, this.token, this.ttl));
	}

	public void release() {
		this.redis.execute(RELEASE, List.of(this.key), this.token);
	}

	public Duration ttl() {
		return this.ttl;
	}

}
