package dev.feedplatform.counterserver;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Totals in MariaDB ({@code post_counters}, the durable copy) and Redis
 * ({@code post:{id}:counts}, the read copy). Redis copies carry the row's version and a
 * script only ever replaces an older version, so two appliers finishing out of order, a
 * redelivery, or a refill from the database can never put an older total over a newer
 * one.
 */
@Component
class CounterStore {

	/** KEYS counts hash; ARGV version, then the five totals. */
	static final String SET_IF_NEWER = """
			local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '-1')
			if tonumber(ARGV[1]) <= v then return 0 end
			redis.call('HSET', KEYS[1], 'v', ARGV[1], 'likes', ARGV[2], 'favorites', ARGV[3], 'shares', ARGV[4], 'views', ARGV[5], 'comments', ARGV[6])
			redis.call('PEXPIRE', KEYS[1], 86400000)
			return 1""";

	private final CounterMapper counters;

	private final StringRedisTemplate redis;

	private volatile String sha;

	CounterStore(CounterMapper counters, StringRedisTemplate redis) {
		this.counters = counters;
		this.redis = redis;
	}

	/**
	 * Totals with their version, as the database has them; posts without a row are
	 * absent.
	 */
	Map<Long, Totals.Versioned> loadFromDatabase(Collection<Long> postIds) {
		Map<Long, Totals.Versioned> totals = new HashMap<>();
		if (postIds.isEmpty()) {
			return totals;
		}
		for (CounterMapper.Row row : this.counters.rows(postIds)) {
			totals.put(row.postId(), row.versioned());
		}
		return totals;
	}

	/**
	 * Copies totals to Redis where they are newer than the copy there; one pipelined
	 * round trip.
	 */
	void copyToRedis(Map<Long, Totals.Versioned> totals) {
		if (totals.isEmpty()) {
			return;
		}
		try {
			pipelined(totals);
		}
		catch (RuntimeException ex) {
			// NOSCRIPT after a Redis restart: load again (the copy is idempotent)
			this.sha = null;
			pipelined(totals);
		}
	}

	private void pipelined(Map<Long, Totals.Versioned> totals) {
		byte[] script = scriptSha().getBytes(StandardCharsets.UTF_8);
		List<Object> results = this.redis.executePipelined((RedisCallback<Object>) c -> {
			totals.forEach((post, v) -> {
				Totals t = v.totals();
				c.scriptingCommands()
					.evalSha(script, ReturnType.INTEGER, 1, bytes(RedisKeys.postCounts(post)), bytes(v.version()),
							bytes(t.likes()), bytes(t.favorites()), bytes(t.shares()), bytes(t.views()),
							bytes(t.comments()));
			});
			return null;
		});
		for (Object result : results) {
			if (result instanceof Exception ex) {
				throw new IllegalStateException("counter copy failed", ex);
			}
		}
	}

	/** The Redis copies of the posts' totals; posts Redis doesn't hold are absent. */
	Map<Long, Totals> readFromRedis(List<Long> postIds) {
		List<Object> rows = this.redis.executePipelined((RedisCallback<Object>) c -> {
			for (Long post : postIds) {
				c.hashCommands()
					.hMGet(bytes(RedisKeys.postCounts(post)), bytes("likes"), bytes("favorites"), bytes("shares"),
							bytes("views"), bytes("comments"));
			}
			return null;
		});
		Map<Long, Totals> totals = new HashMap<>();
		for (int i = 0; i < postIds.size(); i++) {
			@SuppressWarnings("unchecked")
			List<Object> values = (List<Object>) rows.get(i);
			if (values == null || values.get(0) == null) {
				continue;
			}
			totals.put(postIds.get(i), new Totals(number(values, 0), number(values, 1), number(values, 2),
					number(values, 3), number(values, 4)));
		}
		return totals;
	}

	private String scriptSha() {
		String current = this.sha;
		if (current == null) {
			current = this.redis
				.execute((RedisCallback<String>) c -> c.scriptingCommands().scriptLoad(bytes(SET_IF_NEWER)));
			this.sha = current;
		}
		return current;
	}

	private static long number(List<Object> values, int i) {
		return Long.parseLong(values.get(i).toString());
	}

	private static byte[] bytes(Object value) {
		return value.toString().getBytes(StandardCharsets.UTF_8);
	}

	static List<Long> sorted(Collection<Long> ids) {
		List<Long> out = new ArrayList<>(ids);
		out.sort(null);
		return out;
	}

}
