package dev.feedplatform.timeline.home;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.ports.HomeInboxes;
import dev.feedplatform.runtime.redis.ScriptSlots;

import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * A reader's inbox, the one owner of its keys and scripts (issue 20): push, unpush,
 * merge, trim, floor, regeneration, reads and the core-fan records; other modules write
 * through {@link HomeInboxes}. An inbox is <em>live</em> while its floor key exists: it
 * then holds every pushed post with id &gt;= floor. {@link #BUILDING} as the floor means
 * "live for pushes, but guaranteeing nothing yet" while regeneration fills it. Every
 * script touches one user's keys (one hash tag), so each runs on Redis Cluster.
 */
@Component
class HomeInbox implements HomeInboxes {

	/**
	 * KEYS inbox, floor. ARGV post id, cap. Adds the post only to a live inbox and trims
	 * it to the cap in the same atomic step, raising the floor to the oldest id kept. An
	 * inbox set it creates (one member after the ZADD: no PTTL call per push) takes the
	 * floor's TTL, so it expires with it even if its reader never reads again (reads
	 * renew TTLs only now and then). ZADD of a present member changes nothing, so a
	 * redelivered batch writes nothing twice.
	 */
	static final String PUSH = """
			if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
			redis.call('ZADD', KEYS[1], ARGV[1], ARGV[1])
			local n = redis.call('ZCARD', KEYS[1])
			if n == 1 then
			  local ttl = redis.call('PTTL', KEYS[2])
			  if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
			end
			local cap = tonumber(ARGV[2])
			if n > cap then
			  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - cap - 1)
			  local low = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
			  if tonumber(low) > tonumber(redis.call('GET', KEYS[2])) then redis.call('SET', KEYS[2], low, 'KEEPTTL') end
			end
			return 1""";

	/**
	 * KEYS floor, core-fan records. ARGV account, S, the {@link #BUILDING} floor. Only a
	 * live inbox that isn't being rebuilt gets a record; it takes the floor's TTL and
	 * keeps an existing S (a record never moves: the reader has been pushed to since
	 * then).
	 */
	static final String CORE_FAN = """
			local floor = redis.call('GET', KEYS[1])
			if not floor or floor == ARGV[3] then return 0 end
			redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2])
			local ttl = redis.call('PTTL', KEYS[1])
			if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
			return 1""";

	private volatile String pushSha;

	/**
	 * Floor while regenerating: larger than any id, so readers pull everything meanwhile.
	 */
	static final long BUILDING = Long.MAX_VALUE;

	/**
	 * A regeneration that dies leaves BUILDING for at most this long before another one
	 * starts.
	 */
	static final Duration BUILD_LEASE = Duration.ofSeconds(60);

	// KEYS inbox, floor. ARGV cap, ttl ms, final floor ("" to keep), ids... Adds, trims,
	// raises the floor past trimmed ids.
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

	private final TimelineSettings settings;

	HomeInbox(StringRedisTemplate redis, TimelineSettings settings) {
		this.redis = redis;
		this.settings = settings;
	}

	@Override
	public int push(long postId, long[] readers, boolean occasional) {
		if (readers.length == 0) {
			return 0;
		}
		int cap = occasional ? Math.min(this.settings.occasionalInboxCap(), this.settings.inboxCap())
				: this.settings.inboxCap();
		try {
			return pushPipelined(postId, readers, cap);
		}
		catch (org.springframework.dao.DataAccessException ex) {
			// NOSCRIPT after a Redis restart: load again and redo the batch (idempotent).
			// A pipeline
			// reports it as a RedisPipelineException, which an earlier, narrower catch
			// missed: every
			// fan-out failed until the app restarted (found by bin/platform chaos; issue
			// 14).
			this.pushSha = null;
			return pushPipelined(postId, readers, cap);
		}
	}

	private int pushPipelined(long postId, long[] readers, int cap) {
		byte[] sha = pushSha().getBytes(StandardCharsets.UTF_8);
		byte[] id = Long.toString(postId).getBytes(StandardCharsets.UTF_8);
		byte[] capacity = Integer.toString(cap).getBytes(StandardCharsets.UTF_8);
		List<Object> results = this.redis.executePipelined((RedisCallback<Object>) connection -> {
			for (long reader : readers) {
				byte[] inbox = bytes(RedisKeys.inbox(reader));
				byte[] floor = bytes(RedisKeys.inboxFloor(reader));
				ScriptSlots.require("inbox push", inbox, floor);
				connection.scriptingCommands().evalSha(sha, ReturnType.INTEGER, 2, inbox, floor, id, capacity);
			}
			return null;
		});
		int written = 0;
		for (Object result : results) {
			if (result instanceof Exception ex) {
				throw new org.springframework.data.redis.RedisSystemException("inbox push failed", ex);
			}
			if (result instanceof Long n && n == 1) {
				written++;
			}
		}
		return written;
	}

	private String pushSha() {
		String current = this.pushSha;
		if (current == null) {
			current = this.redis.execute((RedisCallback<String>) connection -> connection.scriptingCommands()
				.scriptLoad(PUSH.getBytes(StandardCharsets.UTF_8)));
			this.pushSha = current;
		}
		return current;
	}

	@Override
	public void unpush(long postId, List<Long> readers) {
		byte[] member = bytes(Long.toString(postId));
		this.redis.executePipelined((RedisCallback<Object>) connection -> {
			for (Long reader : readers) {
				connection.zSetCommands().zRem(bytes(RedisKeys.inbox(reader)), member);
			}
			return null;
		});
	}

	@Override
	public void recordCoreFan(long accountId, List<Long> readers, long since) {
		byte[] script = bytes(CORE_FAN);
		byte[] account = bytes(Long.toString(accountId));
		byte[] s = bytes(Long.toString(since));
		byte[] building = bytes(Long.toString(BUILDING));
		this.redis.executePipelined((RedisCallback<Object>) connection -> {
			for (Long reader : readers) {
				byte[] floor = bytes(RedisKeys.inboxFloor(reader));
				byte[] core = bytes(RedisKeys.inboxCore(reader));
				ScriptSlots.require("core fan record", floor, core);
				connection.scriptingCommands().eval(script, ReturnType.INTEGER, 2, floor, core, account, s, building);
			}
			return null;
		});
	}

	@Override
	public Duration liveWithoutReads() {
		return Duration.ofDays(this.settings.activeDays());
	}

	@Override
	public void dropCoreFan(long accountId, List<Long> readers) {
		byte[] account = bytes(Long.toString(accountId));
		this.redis.executePipelined((RedisCallback<Object>) connection -> {
			for (Long reader : readers) {
				connection.hashCommands().hDel(bytes(RedisKeys.inboxCore(reader)), account);
			}
			return null;
		});
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The floor, or {@code null} when the inbox isn't live (one GET: callers that need no
	 * core-fan records).
	 */
	Long floor(long userId) {
		String floor = this.redis.opsForValue().get(RedisKeys.inboxFloor(userId));
		return floor == null ? null : Long.valueOf(floor);
	}

	/**
	 * An inbox's floor ({@code null}: not live) and its core-fan records: big account
	 * &rarr; S, every post of that account with id &gt; S is pushed here
	 * ({@link RedisKeys#inboxCore}; issue 19).
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
			records.forEach(
					(account, since) -> core.put(Long.valueOf(account.toString()), Long.valueOf(since.toString())));
		}
		return new State(floor == null ? null : Long.valueOf(floor.toString()), core);
	}

	/** Ids in {@code [floor, below)}, newest first. */
	List<Long> read(long userId, long floor, long below, int limit) {
		// Ids are integers below 2^53, so "< below" is exactly "<= below - 1" as a double
		// score.
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
	 * Readers whose inbox this instance renewed lately. The TTL is days
	 * (feed.fanout.active-days), so renewing it once per TOUCH_EVERY is as good as on
	 * every read, and a timeline read costs one round trip less (7% of a read's CPU in a
	 * JFR profile of bin/bench timeline; issue 19).
	 */
	static final Duration TOUCH_EVERY = Duration.ofMinutes(10);

	private final com.github.benmanes.caffeine.cache.Cache<Long, Boolean> touched = com.github.benmanes.caffeine.cache.Caffeine
		.newBuilder()
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
		// only once renewed: a failed renewal is tried on the next read
		this.touched.put(userId, Boolean.TRUE);
	}

	// KEYS floor, core-fan records. ARGV building floor, lease ms. The claim drops the
	// records: a
	// rebuilt inbox holds normal followees' posts only, so its reader pulls every big
	// account again.
	private static final RedisScript<Long> START_BUILDING = RedisScript.of("""
			if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
			  redis.call('DEL', KEYS[2])
			  return 1
			end
			return 0""", Long.class);

	/** Claims regeneration: only one caller across instances gets true. */
	boolean startBuilding(long userId) {
		return Long.valueOf(1)
			.equals(this.redis.execute(START_BUILDING,
					List.of(RedisKeys.inboxFloor(userId), RedisKeys.inboxCore(userId)), Long.toString(BUILDING),
					Long.toString(BUILD_LEASE.toMillis())));
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
		List<String> args = new ArrayList<>(
				List.of(Integer.toString(cap), Long.toString(Math.max(ttl.toMillis(), 1)), floor));
		ids.forEach(id -> args.add(Long.toString(id)));
		this.redis.execute(MERGE, List.of(RedisKeys.inbox(userId), RedisKeys.inboxFloor(userId)), args.toArray());
	}

}
