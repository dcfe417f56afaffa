package dev.feedplatform.user.activity;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.ports.ActiveUsers;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.DefaultTypedTuple;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.stereotype.Component;

/**
 * {@link ActiveUsers} over {@link RedisKeys#lastActive(long)} (sharded by user id) with
 * MariaDB's {@code users.last_active_at} behind it. Redis runs without persistence: after
 * it restarts empty, every fan is missing from the index, and a fan whose inbox is
 * rebuilt on their next read would never be pushed to again (issue 14). So a miss is
 * asked of MariaDB (one query per batch of misses) and written back with {@code ZADD NX},
 * never lowering a fresher time another instance recorded meanwhile.
 */
@Component
class ActivityIndex implements ActiveUsers {

	private final StringRedisTemplate redis;

	private final ActivityMapper db;

	ActivityIndex(StringRedisTemplate redis, ActivityMapper db) {
		this.redis = redis;
		this.db = db;
	}

	@Override
	public List<Long> activeAmong(List<Long> userIds, long sinceEpochMs) {
		return List.copyOf(lastSeenAmong(userIds, sinceEpochMs).keySet());
	}

	@Override
	public java.util.LinkedHashMap<Long, Long> lastSeenAmong(List<Long> userIds, long sinceEpochMs) {
		java.util.LinkedHashMap<Long, Long> active = new java.util.LinkedHashMap<>();
		if (userIds.isEmpty()) {
			return active;
		}
		List<Double> seen = scores(userIds);
		List<Long> missing = new ArrayList<>();
		for (int i = 0; i < userIds.size(); i++) {
			if (seen.get(i) == null) {
				missing.add(userIds.get(i));
			}
		}
		Map<Long, Long> recovered = missing.isEmpty() ? Map.of() : recover(missing);
		for (int i = 0; i < userIds.size(); i++) {
			Double indexed = seen.get(i);
			Long at = indexed != null ? Long.valueOf(indexed.longValue()) : recovered.get(userIds.get(i));
			if (at != null && at >= sinceEpochMs) {
				active.put(userIds.get(i), at);
			}
		}
		return active;
	}

	/**
	 * Each user's indexed last-active time (null where absent), in the order asked: one
	 * ZMSCORE per shard that holds any of them, all in one pipeline (one round trip on a
	 * single Redis; one per node on a cluster).
	 */
	private List<Double> scores(List<Long> userIds) {
		Map<String, List<Integer>> positions = new java.util.LinkedHashMap<>();
		for (int i = 0; i < userIds.size(); i++) {
			positions.computeIfAbsent(RedisKeys.lastActive(userIds.get(i)), (shard) -> new ArrayList<>()).add(i);
		}
		List<String> shards = List.copyOf(positions.keySet());
		List<Object> replies = this.redis.executePipelined((RedisCallback<Object>) connection -> {
			for (String shard : shards) {
				byte[][] members = positions.get(shard)
					.stream()
					.map((i) -> Long.toString(userIds.get(i)).getBytes(StandardCharsets.UTF_8))
					.toArray(byte[][]::new);
				connection.zSetCommands().zMScore(shard.getBytes(StandardCharsets.UTF_8), members);
			}
			return null;
		});
		Double[] scores = new Double[userIds.size()];
		for (int s = 0; s < shards.size(); s++) {
			@SuppressWarnings("unchecked")
			List<Double> shardScores = (List<Double>) replies.get(s);
			List<Integer> at = positions.get(shards.get(s));
			for (int k = 0; k < at.size(); k++) {
				scores[at.get(k)] = shardScores == null ? null : shardScores.get(k);
			}
		}
		return java.util.Arrays.asList(scores);
	}

	/**
	 * The missing users' durable last-active times, written back to the index (NX: a
	 * fresher time wins).
	 */
	private Map<Long, Long> recover(List<Long> missing) {
		Map<Long, Long> times = new HashMap<>();
		this.db.lastActive(missing).forEach(row -> times.put(row.id(), row.lastActiveAt().toEpochMilli()));
		if (!times.isEmpty()) {
			Map<String, Set<TypedTuple<String>>> byShard = new HashMap<>();
			times.forEach((id, at) -> byShard.computeIfAbsent(RedisKeys.lastActive(id), (shard) -> new HashSet<>())
				.add(new DefaultTypedTuple<>(Long.toString(id), at.doubleValue())));
			byShard.forEach((shard, tuples) -> this.redis.opsForZSet().addIfAbsent(shard, tuples));
		}
		return times;
	}

}
