package dev.feedplatform.liveroombridge.barrage;

import java.util.Map;
import java.util.Set;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.ports.RoomBroadcast;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link RoomBroadcast}: a frame for a room goes, on the channel the room's barrage
 * takes, to each node in the room's routing row ({@link RoomRouting});
 * {@link NodeDelivery} pushes it to the local viewers at once, each as a frame of its own
 * (never sampled), and drops an id it pushed lately.
 */
@Component
class RoomFrames implements RoomBroadcast {

	private final StringRedisTemplate redis;

	private final JsonMapper json;

	RoomFrames(StringRedisTemplate redis, JsonMapper json) {
		this.redis = redis;
		this.json = json;
	}

	@Override
	public void send(long roomId, String eventId, String frame) {
		sendAll(roomId, java.util.List.of(new Frame(eventId, frame)));
	}

	@Override
	public void sendAll(long roomId, java.util.List<Frame> frames) {
		if (frames.isEmpty()) {
			return;
		}
		Set<String> nodes = this.redis.opsForSet().members(RedisKeys.roomNodes(roomId));
		if (nodes == null || nodes.isEmpty()) {
			return;
		}
		String message = this.json.writeValueAsString(Map.of("room", Long.toString(roomId), "frames",
				frames.stream().map(f -> Map.of("id", f.eventId(), "frame", this.json.readTree(f.json()))).toList()));
		for (String node : nodes) {
			this.redis.convertAndSend(RedisKeys.bridgeNodeChannel(node), message);
		}
	}

}
