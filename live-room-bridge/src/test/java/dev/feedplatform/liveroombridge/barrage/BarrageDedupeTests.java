package dev.feedplatform.liveroombridge.barrage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.DefaultMessage;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node pushes each barrage item and each room frame at most once, however often the
 * broker or a crashed router repeats it ({@link NodeDelivery}). Messages are handed to
 * the real listener as the node's channel would; no Redis, broker or Spring context.
 */
class BarrageDedupeTests {

	static final long ROOM = 7;

	static final long OTHER_ROOM = 8;

	final JsonMapper json = JsonMapper.builder().build();

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	/**
	 * Every room's batch pushed at once (one item is enough), frames likewise; the
	 * flusher threads never need to run.
	 */
	final NodeDelivery delivery = new NodeDelivery(this.json, new BarrageSettings(100, 200, 0.1, 10_000,
			Duration.ofHours(1), 1, Duration.ZERO, Duration.ofHours(1), 1_000, "test"), this.meters);

	/**
	 * Room &rarr; what its local viewers were pushed, in order: a barrage id, or a
	 * frame's JSON.
	 */
	final List<Map.Entry<Long, String>> pushed = Collections.synchronizedList(new ArrayList<>());

	BarrageDedupeTests() {
		this.delivery.viewers((room, frames, reached) -> frames.forEach(frame -> {
			JsonNode tree = this.json.readTree(frame);
			if ("batch".equals(tree.path("type").asString())) {
				tree.path("items").forEach(item -> this.pushed.add(Map.entry(room, item.path("id").asString())));
			}
			else {
				this.pushed.add(Map.entry(room, frame));
			}
		}));
	}

	@AfterEach
	void stopFlushers() {
		this.delivery.destroy();
	}

	/** A batch as the router publishes it to this node's channel. */
	private void barrage(long room, long... ids) {
		List<BarrageItem> items = LongStream.of(ids)
			.mapToObj(id -> BarrageItem.of(id, room, 3, "弹幕 " + id, 1_000 + id, null))
			.toList();
		deliver(Map.of("room", Long.toString(room), "items", items));
	}

	/** Room frames as {@link RoomFrames} sends them: event id and frame. */
	private void frames(long room, String... eventIds) {
		List<Map<String, Object>> frames = new ArrayList<>();
		for (String eventId : eventIds) {
			frames.add(Map.of("id", eventId, "frame", Map.of("type", "gift", "event", eventId)));
		}
		deliver(Map.of("room", Long.toString(room), "frames", frames));
	}

	private void deliver(Map<String, Object> body) {
		this.delivery.onMessage(new DefaultMessage("bridge:node:test".getBytes(StandardCharsets.UTF_8),
				this.json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8)), null);
	}

	private List<String> pushedTo(long room) {
		synchronized (this.pushed) {
			return this.pushed.stream().filter(push -> push.getKey() == room).map(Map.Entry::getValue).toList();
		}
	}

	private double repeated() {
		return this.meters.get("feed.barrage.node.repeated").counter().count();
	}

	@Test
	void aBarrageTheBrokerDeliversAgainIsPushedOnce() {
		barrage(ROOM, 101, 102);
		barrage(ROOM, 102, 103); // a rebalance between routers repeats 102
		barrage(ROOM, 101);
		assertThat(pushedTo(ROOM)).containsExactly("101", "102", "103");
		assertThat(repeated()).isEqualTo(2);
		assertThat(this.meters.get("feed.barrage.node.received").counter().count()).isEqualTo(5);
	}

	@Test
	void aBarrageRepeatedWithinOneBatchIsPushedOnce() {
		barrage(ROOM, 201, 201, 202, 201);
		assertThat(pushedTo(ROOM)).containsExactly("201", "202");
		assertThat(repeated()).isEqualTo(2);
	}

	@Test
	void aRoomRemembersItsLastIdsOnlySoMemoryStaysBoundedAndABusyRoomDoesNotPushOutAnotherRoomsIds() {
		barrage(OTHER_ROOM, 900_000);
		barrage(ROOM, 0);
		// 0 is now the one too many
		barrage(ROOM, LongStream.rangeClosed(1, NodeDelivery.REMEMBERED).toArray());
		assertThat(pushedTo(ROOM)).hasSize(NodeDelivery.REMEMBERED + 1);
		barrage(ROOM, 1); // still remembered: the oldest but one
		barrage(OTHER_ROOM, 900_000);
		assertThat(repeated()).isEqualTo(2);
		barrage(ROOM, 0);
		assertThat(pushedTo(ROOM)).hasSize(NodeDelivery.REMEMBERED + 2).endsWith("0");
		assertThat(pushedTo(OTHER_ROOM)).containsExactly("900000");
	}

	@Test
	void aRoomFrameSentAgainIsPushedOnceAndIsNotMistakenForABarrageWithTheSameId() {
		barrage(ROOM, 5);
		frames(ROOM, "5", "gift-9");
		frames(ROOM, "gift-9", "5"); // the sender repeated after a crash
		List<String> frames = pushedTo(ROOM).stream().filter(push -> push.startsWith("{")).toList();
		assertThat(frames).hasSize(2);
		assertThat(frames).extracting(frame -> this.json.readTree(frame).path("event").asString())
			.containsExactly("5", "gift-9");
		assertThat(repeated()).isEqualTo(2);
	}

}
