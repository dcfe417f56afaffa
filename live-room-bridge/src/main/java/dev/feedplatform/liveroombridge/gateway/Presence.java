package dev.feedplatform.liveroombridge.gateway;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Who is in which room, across every bridge node: one sorted set per room, member
 * {@code node/connection}, score the last heartbeat. This node re-stamps its members
 * every third of the TTL; a count only counts members stamped within the TTL, so
 * connections that died without a close, or a whole node that died, drop out on their
 * own.
 */
@Component
class Presence {

	private final StringRedisTemplate redis;

	private final GatewaySettings settings;

	/** This node's memberships: room -> members. */
	private final Map<Long, Set<String>> local = new ConcurrentHashMap<>();

	Presence(StringRedisTemplate redis, GatewaySettings settings) {
		this.redis = redis;
		this.settings = settings;
	}

	void enter(long roomId, String member) {
		this.local.computeIfAbsent(roomId, r -> ConcurrentHashMap.newKeySet()).add(member);
		this.redis.opsForZSet().add(RedisKeys.roomPresence(roomId), member, System.currentTimeMillis());
	}

	void leave(long roomId, String member) {
		Set<String> members = this.local.get(roomId);
		if (members != null) {
			members.remove(member);
		}
		this.redis.opsForZSet().remove(RedisKeys.roomPresence(roomId), member);
	}

	/** Viewers present in the room on every node. */
	long count(long roomId) {
		long since = System.currentTimeMillis() - this.settings.presenceTtl().toMillis();
		this.redis.opsForZSet().removeRangeByScore(RedisKeys.roomPresence(roomId), 0, since);
		Long n = this.redis.opsForZSet().count(RedisKeys.roomPresence(roomId), since, Double.POSITIVE_INFINITY);
		return n == null ? 0 : n;
	}

	/**
	 * Every 20 s by default ({@code feed.gateway.heartbeat-ms}): three stamps per default
	 * TTL.
	 */
	@Scheduled(fixedDelayString = "${feed.gateway.heartbeat-ms:20000}")
	void heartbeat() {
		long now = System.currentTimeMillis();
		this.redis.executePipelined((RedisCallback<Object>) c -> {
			this.local.forEach((room, members) -> members.forEach(
					member -> c.zSetCommands().zAdd(RedisKeys.roomPresence(room).getBytes(), now, member.getBytes())));
			return null;
		});
	}

}
