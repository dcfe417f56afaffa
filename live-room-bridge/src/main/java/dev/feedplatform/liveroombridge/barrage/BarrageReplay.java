package dev.feedplatform.liveroombridge.barrage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.id.Ids;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.liveroombridge.room.Rooms;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/rooms/{id}/barrage?from_ms=&to_ms=}: what was sent in a time window,
 * oldest first, merged from the room's pools: late joiners and time-aligned playback.
 */
@RestController
class BarrageReplay {

	private final StringRedisTemplate redis;

	private final Rooms rooms;

	private final JsonMapper json;

	private final BarrageSettings settings;

	BarrageReplay(StringRedisTemplate redis, Rooms rooms, JsonMapper json, BarrageSettings settings) {
		this.redis = redis;
		this.rooms = rooms;
		this.json = json;
		this.settings = settings;
	}

	@GetMapping("/api/rooms/{id}/barrage")
	Map<String, Object> replay(@PathVariable String id, @RequestParam(name = "from_ms", required = false) String from,
			@RequestParam(name = "to_ms", required = false) String to, Viewer viewer) {
		long roomId = Ids.parse(id, "room id");
		long fromMs = millis(from, "from_ms");
		long toMs = millis(to, "to_ms");
		if (toMs < fromMs) {
			throw Problem.badRequest("to_ms must not be before from_ms");
		}
		if (toMs - fromMs > this.settings.replayMaxWindow().toMillis()) {
			throw Problem
				.badRequest("the window may span at most " + this.settings.replayMaxWindow().toMinutes() + " minutes");
		}
		if (this.rooms.find(roomId).isEmpty()) {
			throw Problem.notFound("no room " + roomId);
		}
		List<BarrageItem> items = new ArrayList<>();
		for (int pool = 0; pool < this.rooms.pools(roomId); pool++) {
			Set<String> members = this.redis.opsForZSet()
				.rangeByScore(RedisKeys.roomPool(roomId, pool), fromMs, toMs, 0, this.settings.replayMaxItems());
			if (members != null) {
				members.forEach(m -> items.add(this.json.readValue(m, BarrageItem.class)));
			}
		}
		items.sort(Comparator.comparingLong(BarrageItem::ts).thenComparing(i -> Long.parseLong(i.id())));
		List<BarrageItem> window = items.size() > this.settings.replayMaxItems()
				? items.subList(0, this.settings.replayMaxItems()) : items;
		return Map.of("items", window, "has_more", items.size() > window.size());
	}

	private static long millis(String raw, String name) {
		if (raw == null || raw.isBlank()) {
			throw Problem.badRequest(name + " is required (epoch milliseconds)");
		}
		try {
			long value = Long.parseLong(raw);
			if (value < 0) {
				throw Problem.badRequest(name + " must not be negative");
			}
			return value;
		}
		catch (NumberFormatException ex) {
			throw Problem.badRequest(name + " must be epoch milliseconds");
		}
	}

}
