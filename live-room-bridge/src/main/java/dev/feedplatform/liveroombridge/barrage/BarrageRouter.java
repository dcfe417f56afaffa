package dev.feedplatform.liveroombridge.barrage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.liveroombridge.room.Rooms;
import dev.feedplatform.runtime.messaging.Deliveries;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.common.message.MessageExt;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The orderly consumer of the barrage topic (one room's queue is consumed by one thread
 * at a time, in order): each batch of messages is grouped per room, added to the room's
 * pools in one pipelined round trip (trimmed to the pool size), then published once per
 * room to each node in the room's routing set. Nodes whose liveness key expired are
 * dropped from the set on the way.
 */
@Component
class BarrageRouter {

	private final StringRedisTemplate redis;

	private final JsonMapper json;

	private final Rooms rooms;

	private final BarrageSettings settings;

	BarrageRouter(StringRedisTemplate redis, JsonMapper json, Rooms rooms, BarrageSettings settings) {
		this.redis = redis;
		this.json = json;
		this.rooms = rooms;
		this.settings = settings;
	}

	void route(List<BarrageItem> items) {
		Map<Long, List<BarrageItem>> byRoom = new LinkedHashMap<>();
		items.forEach(item -> byRoom.computeIfAbsent(item.roomId(), r -> new ArrayList<>()).add(item));
		// closed meanwhile: neither stored nor shown
		byRoom.keySet().removeIf(room -> !this.rooms.isOpen(room));
		byRoom.forEach(this::pool);
		byRoom.forEach(this::publish);
	}

	private void pool(long roomId, List<BarrageItem> items) {
		int pools = this.rooms.pools(roomId);
		this.redis.executePipelined((RedisCallback<Object>) c -> {
			for (BarrageItem item : items) {
				byte[] key = RedisKeys.roomPool(roomId, Math.floorMod(Long.parseLong(item.id()), pools))
					.getBytes(StandardCharsets.UTF_8);
				c.zSetCommands().zAdd(key, item.ts(), this.json.writeValueAsBytes(item));
				c.zSetCommands().zRemRange(key, 0, -this.settings.poolSize() - 1L);
			}
			return null;
		});
	}

	private void publish(long roomId, List<BarrageItem> items) {
		Set<String> nodes = this.redis.opsForSet().members(RedisKeys.roomNodes(roomId));
		if (nodes == null || nodes.isEmpty()) {
			return;
		}
		List<String> alive = new ArrayList<>(nodes);
		List<String> flags = this.redis.opsForValue().multiGet(alive.stream().map(RedisKeys::bridgeNodeAlive).toList());
		String batch = this.json.writeValueAsString(Map.of("room", Long.toString(roomId), "items", items));
		for (int i = 0; i < alive.size(); i++) {
			String node = alive.get(i);
			if (flags == null || flags.get(i) == null) {
				// the node died; its viewers reconnect elsewhere
				this.redis.opsForSet().remove(RedisKeys.roomNodes(roomId), node);
				continue;
			}
			this.redis.convertAndSend(RedisKeys.bridgeNodeChannel(node), batch);
		}
	}

	MessageListenerOrderly listener() {
		return Deliveries.inOrder("barrage routing", this::decode, this::route);
	}

	private BarrageItem decode(MessageExt message) {
		try {
			return this.json.readValue(message.getBody(), BarrageItem.class);
		}
		catch (JacksonException malformed) {
			throw new IllegalArgumentException(malformed.getOriginalMessage(), malformed);
		}
	}

}
