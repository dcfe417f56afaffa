package dev.feedplatform.timeline.home;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The read side of a user's inbox. An inbox is <em>live</em> while its floor key exists: it then
 * holds every pushed post with id &gt;= floor. {@link #BUILDING} as the floor means "live for
 * pushes, but guaranteeing nothing yet" while regeneration fills it.
 */
@Component
class HomeInbox {

	/** Floor while regenerating: larger than any id, so readers pull everything meanwhile. */
	static final long BUILDING = Long.MAX_VALUE;

	/** A regeneration that dies leaves BUILDING for at most this long before another one starts. */
	static final Duration BUILD_LEASE = Duration.ofSeconds(60);

	// KEYS inbox, floor. ARGV cap, ttl ms, final floor ("" to keep), ids... Adds, trims, raises the floor past trimmed ids.
	private static final RedisScript<Long> MERGE = RedisScript.of("""
			if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
			for i = 4, #ARGV do redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i]) end
			if ARGV[3] == '' and redis.call('PTTL', KEYS[1]) == -1 then
			  local ttl = redis.call('PTTL', KEYS[2])
			  if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
			end
			local cap = tonumber(ARGV[1])
			local n = redis.call('ZCARD', KEYS[1])
			local floor = ARGV[3] ~= '' and ARGV[3] or redis.call('GET', KEYS[2])
			if n > cap then
			  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - cap - 1)
			  local low = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
			  if tonumber(low) > tonumber(floor) then floor = low end
			end
			if ARGV[3] ~= '' then
			  redis.call('SET', KEYS[2], floor, 'PX', ARGV[2])
			  redis.call('PEXPIRE', KEYS[1], ARGV[2])
			else
			  redis.call('SET', KEYS[2], floor, 'KEEPTTL')
			end
			return 1""", Long.class);

	private final StringRedisTemplate redis;

	HomeInbox(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/** The floor, or {@code null} when the inbox isn't live. */
	Long floor(long userId) {
		return state(userId).floor();
	}

	/**
	 * An inbox's floor ({@code null}: not live) and its core-fan records: big account &rarr; S, every
	 * post of that account with id &gt; S is pushed here ({@link RedisKeys#inboxCore}; issue 19).
	 */
	record State(Long floor, Map<Long, Long> coreSince) {
	}

	/** Floor and core-fan records in one round trip. */
	State state(long userId) {
		List<Object> replies = this.redis.executePipelined((RedisCallback<Object>) connection -> {
			connection.stringCommands().get(RedisKeys.inboxFloor(userId).getBytes());
			connection.hashCommands().hGetAll(RedisKeys.inboxCore(userId).getBytes());
			return null;
		});
		Object floor = replies.get(0);
		Map<Long, Long> core = new HashMap<>();
		if (replies.get(1) instanceof Map<?, ?> records) {
			records.forEach((account, since) -> core.put(Long.valueOf(account.toString()), Long.valueOf(since.toString())));
		}
		return new State(floor == null ? null : Long.valueOf(floor.toString()), core);
	}

	/** Ids in {@code [floor, below)}, newest first. */
	List<Long> read(long userId, long floor, long below, int limit) {
		// Ids are integers below 2^53, so "< below" is exactly "<= below - 1" as a double score.
		double max = below == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : below - 1;
		Set<String> ids = this.redis.opsForZSet().reverseRangeByScore(RedisKeys.inbox(userId), floor, max, 0, limit);
		List<Long> out = new ArrayList<>();
		if (ids != null) {
			ids.forEach(id -> out.add(Long.valueOf(id)));
		}
		return out;
	}

	/** Keeps a read inbox live: reading is what makes a fan "active". */
	/*
	 * Readers whose inbox this instance renewed lately. The TTL is days (feed.fanout.active-days), so
	 * renewing it once per TOUCH_EVERY is as good as on every read, and a timeline read costs one
	 * round trip less (7% of a read's CPU in a JFR profile of bin/bench timeline; issue 19).
	 */
	static final Duration TOUCH_EVERY = Duration.ofMinutes(10);

	private final com.github.benmanes.caffeine.cache.Cache<Long, Boolean> touched = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
		.maximumSize(500_000)
		.expireAfterWrite(TOUCH_EVERY)
		.build();

	void touch(long userId, Duration ttl) {
		if (this.touched.getIfPresent(userId) != null) {
			return;
		}
		this.redis.executePipelined((RedisCallback<Object>) connection -> {
			connection.keyCommands().pExpire(RedisKeys.inboxFloor(userId).getBytes(), ttl.toMillis());
			connection.keyCommands().pExpire(RedisKeys.inbox(userId).getBytes(), ttl.toMillis());
			connection.keyCommands().pExpire(RedisKeys.inboxCore(userId).getBytes(), ttl.toMillis());
			return null;
		});
		this.touched.put(userId, Boolean.TRUE); // only once renewed: a failed renewal is tried on the next read
	}

	// KEYS floor, core-fan records. ARGV building floor, lease ms. The claim drops the records: a
	// rebuilt inbox holds normal followees' posts only, so its reader pulls every big account again.
	private static final RedisScript<Long> START_BUILDING = RedisScript.of("""
			if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
			  redis.call('DEL', KEYS[2])
			  return 1
			end
			return 0""", Long.class);

	/** Claims regeneration: only one caller across instances gets true. */
	boolean startBuilding(long userId) {
		return Long.valueOf(1).equals(this.redis.execute(START_BUILDING, List.of(RedisKeys.inboxFloor(userId), RedisKeys.inboxCore(userId)),
				Long.toString(BUILDING), Long.toString(BUILD_LEASE.toMillis())));
	}

	/** Finishes regeneration: merge the pulled ids and set the floor they guarantee. */
	void finishBuilding(long userId, Collection<Long> ids, long floor, int cap, Duration ttl) {
		merge(userId, ids, Long.toString(floor), cap, ttl);
	}

	/** Adds ids to a live inbox (backfill), keeping the cap and the floor's meaning. */
	void add(long userId, Collection<Long> ids, int cap) {
		merge(userId, ids, "", cap, Duration.ZERO);
	}

	private void merge(long userId, Collection<Long> ids, String floor, int cap, Duration ttl) {
		List<String> args = new ArrayList<>(List.of(Integer.toString(cap), Long.toString(Math.max(ttl.toMillis(), 1)), floor));
		ids.forEach(id -> args.add(Long.toString(id)));
		this.redis.execute(MERGE, List.of(RedisKeys.inbox(userId), RedisKeys.inboxFloor(userId)), args.toArray());
	}

}
