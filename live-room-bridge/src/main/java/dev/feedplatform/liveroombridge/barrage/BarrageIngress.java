package dev.feedplatform.liveroombridge.barrage;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.error.Require;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.liveroombridge.room.RoomConfig;
import dev.feedplatform.liveroombridge.room.Rooms;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import dev.feedplatform.runtime.messaging.RocketMq;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * A viewer's barrage enters here: checked, counted against its room's rate (one counter
 * per room and second, shared by all nodes; the room's own rate, or the node's default),
 * sampled once the room is over the rate, and sent to RocketMQ on the room's queue, so
 * every barrage of a room is pooled and pushed in the order it was sent.
 */
@Component
public class BarrageIngress {

	public enum Outcome {

		ACCEPTED, SAMPLED_OUT

	}

	private static final RedisScript<Long> COUNT = RedisScript.of("""
			local n = redis.call('INCR', KEYS[1])
			if n == 1 then redis.call('EXPIRE', KEYS[1], 2) end
			return n""", Long.class);

	static final String TOPIC = "feed-barrage";

	private final RocketMq rocketMq;

	private final StringRedisTemplate redis;

	private final LeasedIdGenerator ids;

	private final JsonMapper json;

	private final BarrageSettings settings;

	private final Clock clock;

	private final Rooms rooms;

	private final Counter sampled;

	private final Counter lost;

	BarrageIngress(RocketMq rocketMq, StringRedisTemplate redis, LeasedIdGenerator ids, JsonMapper json,
			BarrageSettings settings, Clock clock, Rooms rooms, MeterRegistry meters) {
		this.rooms = rooms;
		this.rocketMq = rocketMq;
		this.redis = redis;
		this.ids = ids;
		this.json = json;
		this.settings = settings;
		this.clock = clock;
		this.sampled = Counter.builder("feed.barrage.sampled")
			.description("barrage sampled out of rooms over their rate")
			.register(meters);
		this.lost = Counter.builder("feed.barrage.send.failed")
			.description("barrage the broker did not take")
			.register(meters);
	}

	public Outcome accept(long roomId, long userId, String text, Long offsetMs) {
		if (text == null || text.isBlank()) {
			throw Problem.badRequest("text is required");
		}
		Require.wellFormed(text, "text");
		if (text.codePointCount(0, text.length()) > this.settings.maxChars()) {
			throw Problem.badRequest("barrage is longer than " + this.settings.maxChars() + " characters");
		}
		if (offsetMs != null && offsetMs < 0) {
			throw Problem.badRequest("offset_ms must not be negative");
		}
		long now = this.clock.millis();
		RoomConfig room = this.rooms.config(roomId);
		int rate = room.rate() != null ? room.rate() : this.settings.roomRate();
		double keep = room.sampleKeep() != null ? room.sampleKeep() : this.settings.sampleKeep();
		Long inThisSecond = this.redis.execute(COUNT, List.of(RedisKeys.roomRate(roomId, now / 1000)));
		if (inThisSecond != null && inThisSecond > rate && ThreadLocalRandom.current().nextDouble() >= keep) {
			this.sampled.increment();
			return Outcome.SAMPLED_OUT;
		}
		BarrageItem item = BarrageItem.of(this.ids.next(), roomId, userId, text, now, offsetMs);
		// Synchronous on purpose: asynchronous sends to one queue can overtake each other
		// (measured:
		// b0 b5 b1 ...), and a viewer may send only 20 frames a second anyway.
		try {
			this.rocketMq.sendOrdered(TOPIC, item.id(), this.json.writeValueAsString(item), roomId);
		}
		catch (RuntimeException ex) {
			this.lost.increment();
			throw ex;
		}
		return Outcome.ACCEPTED;
	}

}
