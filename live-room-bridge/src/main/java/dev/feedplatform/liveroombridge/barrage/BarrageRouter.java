package dev.feedplatform.liveroombridge.barrage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.liveroombridge.room.Rooms;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.common.message.MessageExt;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The orderly consumer of the barrage topic (one room's queue is consumed by one thread at a
 * time, in order): each batch of messages is grouped per room, added to the room's pools in one
 * pipelined round trip (trimmed to the pool size), then published once per room to each node in
 * the room's routing set. Nodes whose liveness key expired are dropped from the set on the way.
 */
@Component
class BarrageRouter {

	private static final Logger log = LoggerFactory.getLogger(BarrageRouter.class);

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
		byRoom.forEach(this::pool);
		byRoom.forEach(this::publish);
	}

	private void pool(long roomId, List<BarrageItem> items) {
		int pools = this.rooms.pools(roomId);
		this.redis.executePipelined((RedisCallback<Object>) c -> {
			for (BarrageItem item : items) {
				byte[] key = RedisKeys.roomPool(roomId, Math.floorMod(Long.parseLong(item.id()), pools)).getBytes(StandardCharsets.UTF_8);
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
				this.redis.opsForSet().remove(RedisKeys.roomNodes(roomId), node); // the node died; its viewers reconnect elsewhere
				continue;
			}
			this.redis.convertAndSend(RedisKeys.bridgeNodeChannel(node), batch);
		}
	}

	MessageListenerOrderly listener() {
		return (messages, context) -> {
			List<BarrageItem> items = new ArrayList<>(messages.size());
			for (MessageExt message : messages) {
				try {
					items.add(this.json.readValue(message.getBody(), BarrageItem.class));
				}
				catch (RuntimeException malformed) {
					log.error("dropping malformed barrage {}: {}", message.getMsgId(), malformed.getMessage());
				}
			}
			try {
				route(items);
				return ConsumeOrderlyStatus.SUCCESS;
			}
			catch (RuntimeException ex) {
				log.warn("barrage routing failed, will retry in order: {}", ex.toString());
				return ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT;
			}
		};
	}

}
