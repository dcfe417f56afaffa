package dev.feedplatform.liveroombridge.barrage;

import java.util.Set;

import dev.feedplatform.liveroombridge.room.RoomClosed;
import org.springframework.context.event.EventListener;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * This node's rows in the routing table: a room's node set holds this node while at least
 * one local viewer is in the room, so the room's barrage reaches only nodes with viewers
 * (goim sends every room to every node). A liveness key with a TTL, renewed by heartbeat,
 * lets the router drop a node that died; the heartbeat also re-adds this node to its
 * rooms after such a drop.
 */
@Component
public class RoomRouting {

	static final Duration ALIVE_TTL = Duration.ofSeconds(30);

	private final StringRedisTemplate redis;

	private final String node;

	private final Map<Long, AtomicInteger> viewers = new ConcurrentHashMap<>();

	RoomRouting(StringRedisTemplate redis, BridgeNode node) {
		this.redis = redis;
		this.node = node.id();
		heartbeat();
	}

	/**
	 * Tells every node with viewers of a closed room, on the channel its barrage takes,
	 * so they tell their viewers and refuse the room's barrage from then on (issue 15).
	 */
	@EventListener
	public void roomClosed(RoomClosed closed) {
		Set<String> nodes = this.redis.opsForSet().members(RedisKeys.roomNodes(closed.roomId()));
		String notice = "{\"room\":\"" + closed.roomId() + "\",\"closed\":true,\"items\":[]}";
		for (String node : nodes == null ? Set.<String>of() : nodes) {
			this.redis.convertAndSend(RedisKeys.bridgeNodeChannel(node), notice);
		}
	}

	public void viewerJoined(long roomId) {
		if (this.viewers.computeIfAbsent(roomId, r -> new AtomicInteger()).incrementAndGet() == 1) {
			this.redis.opsForSet().add(RedisKeys.roomNodes(roomId), this.node);
		}
	}

	public void viewerLeft(long roomId) {
		AtomicInteger count = this.viewers.get(roomId);
		if (count != null && count.decrementAndGet() <= 0) {
			this.viewers.remove(roomId, count);
			this.redis.opsForSet().remove(RedisKeys.roomNodes(roomId), this.node);
		}
	}

	/**
	 * Also called by IM when it finds Redis lost this node's keys: the node is announced
	 * alive at once.
	 */
	@Scheduled(fixedDelay = 10_000)
	public void heartbeat() {
		this.redis.opsForValue().set(RedisKeys.bridgeNodeAlive(this.node), "1", ALIVE_TTL);
		this.viewers.forEach((room, count) -> {
			if (count.get() > 0) {
				this.redis.opsForSet().add(RedisKeys.roomNodes(room), this.node);
			}
		});
	}

}
