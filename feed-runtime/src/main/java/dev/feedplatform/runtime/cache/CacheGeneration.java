package dev.feedplatform.runtime.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Guards a user's cached copies against the stale-set race: a reader misses, reads the
 * database, a writer commits and invalidates, and the reader then writes its old copy
 * back. Every invalidation bumps the user's generation; a fill only lands if the
 * generation is still the one the reader saw before it read the database. All keys carry
 * the user's hash tag, so each script runs on one Redis Cluster slot.
 */
public class CacheGeneration {

	/** Long enough that no load can straddle the counter's expiry. */
	private static final Duration GENERATION_TTL = Duration.ofDays(1);

	private static final RedisScript<Long> FILL_HASH = RedisScript.of("""
			if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
			redis.call('DEL', KEYS[2])
			for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
			redis.call('PEXPIRE', KEYS[2], ARGV[2])
			return 1""", Long.class);

	private static final RedisScript<Long> FILL_ZSET = RedisScript.of("""
			if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
			redis.call('DEL', KEYS[2])
			for i = 3, #ARGV, 2 do redis.call('ZADD', KEYS[2], ARGV[i], ARGV[i + 1]) end
			redis.call('PEXPIRE', KEYS[2], ARGV[2])
			return 1""", Long.class);

	private static final RedisScript<Long> INVALIDATE = RedisScript.of("""
			redis.call('INCR', KEYS[1])
			redis.call('PEXPIRE', KEYS[1], ARGV[1])
			for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end
			return 1""", Long.class);

	private final StringRedisTemplate redis;

	public CacheGeneration(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/** Read before loading from the database. */
	public String current(long userId) {
		String generation = this.redis.opsForValue().get(RedisKeys.userCacheGeneration(userId));
		return generation == null ? "0" : generation;
	}

	public boolean fillIfUnchanged(long userId, String generation, String hashKey, Map<String, String> fields,
			Duration ttl) {
		List<String> args = new ArrayList<>(List.of(generation, Long.toString(ttl.toMillis())));
		fields.forEach((k, v) -> {
			args.add(k);
			args.add(v);
		});
		return execute(FILL_HASH, List.of(RedisKeys.userCacheGeneration(userId), hashKey), args);
	}

	/** Fills a sorted set from (score, member) pairs. */
	public boolean fillSortedSetIfUnchanged(long userId, String generation, String zsetKey, List<String[]> scoreMembers,
			Duration ttl) {
		List<String> args = new ArrayList<>(List.of(generation, Long.toString(ttl.toMillis())));
		for (String[] pair : scoreMembers) {
			args.add(pair[0]);
			args.add(pair[1]);
		}
		return execute(FILL_ZSET, List.of(RedisKeys.userCacheGeneration(userId), zsetKey), args);
	}

	/** Call after the database change committed. */
	public void invalidate(long userId, String... keys) {
		List<String> all = new ArrayList<>();
		all.add(RedisKeys.userCacheGeneration(userId));
		all.addAll(List.of(keys));
		this.redis.execute(INVALIDATE, all, Long.toString(GENERATION_TTL.toMillis()));
	}

	private boolean execute(RedisScript<Long> script, List<String> keys, List<String> args) {
		Long result = this.redis.execute(script, keys, args.toArray());
		return result != null && result == 1;
	}

}
