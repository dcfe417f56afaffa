package dev.feedplatform.liveroombridge.barrage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * This node's end of the routing: batches published to its channel are merged per room
 * and pushed to the room's local viewers as one {@code batch} frame, serialised once for
 * all of them, every {@code flush-interval} or as soon as {@code flush-items} are
 * waiting. The broker delivers at least once (a rebalance between routers, or a router
 * that crashed after publishing, repeats messages), so each room remembers the ids of its
 * last {@link #REMEMBERED} items on this node and pushes none of them twice.
 */
@Component
public class NodeDelivery implements MessageListener, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(NodeDelivery.class);

	/**
	 * Pushes serialised frames, in order and together (one write per viewer where the
	 * server can), to every local viewer of a room, possibly on other threads; reports
	 * through {@code reached} how many viewers they were queued to (in parts, as they
	 * go).
	 */
	public interface Viewers {

		void push(long roomId, List<String> frames, IntConsumer reached);

	}

	private final JsonMapper json;

	private volatile LongConsumer closed = room -> {
	};

	private final BarrageSettings settings;

	static final int REMEMBERED = 4096;

	private final Map<Long, List<JsonNode>> waiting = new ConcurrentHashMap<>();

	/**
	 * Per room, the ids of the items pushed lately, oldest first (guarded by
	 * {@link #waiting}).
	 */
	private final Map<Long, Recent> seen = new HashMap<>();

	/**
	 * A room's remembered ids are forgotten after this long without barrage (repeats come
	 * within seconds).
	 */
	private static final long FORGET_NANOS = 60_000_000_000L;

	private long sweptAt = System.nanoTime();

	private final Counter repeated;

	private final Counter received;

	private final Counter delivered;

	private final Thread flusher;

	private final Thread framesFlusher;

	/**
	 * Per room, frames waiting for the next frames push, and when the last one went (each
	 * guarded by itself).
	 */
	private final Map<Long, Outgoing> outgoing = new ConcurrentHashMap<>();

	private volatile Viewers viewers = (room, frame, reached) -> {
	};

	private volatile boolean running = true;

	NodeDelivery(JsonMapper json, BarrageSettings settings, MeterRegistry meters) {
		this.json = json;
		this.settings = settings;
		this.repeated = Counter.builder("feed.barrage.node.repeated")
			.description("barrage items the broker delivered again, not pushed twice")
			.register(meters);
		this.received = Counter.builder("feed.barrage.node.received")
			.description("barrage items routed to this node")
			.register(meters);
		this.delivered = Counter.builder("feed.barrage.delivered")
			.description("barrage items pushed to viewers, counted per viewer")
			.register(meters);
		this.flusher = Thread.ofPlatform().name("barrage-flusher").daemon().start(this::flushLoop);
		this.framesFlusher = Thread.ofPlatform().name("room-frames-flusher").daemon().start(this::framesFlushLoop);
	}

	public void viewers(Viewers viewers) {
		this.viewers = viewers;
	}

	/** Who hears that a room closed (a notice on this node's channel). */
	public void onClosed(LongConsumer closed) {
		this.closed = closed;
	}

	@Override
	public void onMessage(Message message, byte[] pattern) {
		try {
			JsonNode batch = this.json.readTree(new String(message.getBody(), StandardCharsets.UTF_8));
			long room = Long.parseLong(batch.path("room").asString());
			if (batch.path("closed").asBoolean(false)) {
				this.closed.accept(room);
				return;
			}
			if (batch.has("frames")) {
				pushFrames(room, batch.path("frames"));
				return;
			}
			JsonNode items = batch.path("items");
			this.received.increment(items.size());
			int size;
			synchronized (this.waiting) {
				Recent recent = this.seen.computeIfAbsent(room, r -> new Recent());
				recent.lastNanos = System.nanoTime();
				SequencedSet<String> ids = recent.ids;
				List<JsonNode> list = this.waiting.computeIfAbsent(room, r -> new ArrayList<>());
				for (JsonNode item : items) {
					if (!ids.add(item.path("id").asString())) {
						this.repeated.increment();
						continue;
					}
					if (ids.size() > REMEMBERED) {
						ids.removeFirst();
					}
					list.add(item);
				}
				size = list.size();
			}
			if (size >= this.settings.flushItems()) {
				flush(room);
			}
		}
		catch (RuntimeException ex) {
			log.warn("dropping an unreadable barrage batch: {}", ex.toString());
		}
	}

	/**
	 * Frames other modules send to a room ({@link RoomFrames}: gifts, PK scores): frames
	 * of their own (API.md names them as such; only barrage comes inside {@code batch}),
	 * each event id at most once here, like barrage items (the sender may repeat after a
	 * crash). The first frames after a quiet spell are pushed at once; while a room is
	 * busy they wait up to {@code frames-flush-interval} and go together, each still a
	 * frame of its own but all in one write per viewer (a write per gift and viewer was
	 * what a 1,000-viewer room could not afford).
	 */
	private void pushFrames(long room, JsonNode frames) {
		List<String> fresh = new ArrayList<>();
		synchronized (this.waiting) {
			Recent recent = this.seen.computeIfAbsent(room, r -> new Recent());
			recent.lastNanos = System.nanoTime();
			for (JsonNode framed : frames) {
				if (!recent.ids.add("frame:" + framed.path("id").asString())) {
					this.repeated.increment();
					continue;
				}
				if (recent.ids.size() > REMEMBERED) {
					recent.ids.removeFirst();
				}
				fresh.add(this.json.writeValueAsString(framed.path("frame")));
			}
		}
		if (fresh.isEmpty()) {
			return;
		}
		// Pushed while holding the room's lock (a push only hands the frames to the
		// viewers' lanes),
		// so a room's frames leave in the order they came, from this thread or the frames
		// flusher;
		// other rooms don't wait.
		Outgoing pending = this.outgoing.computeIfAbsent(room, r -> new Outgoing());
		synchronized (pending) {
			pending.waiting.addAll(fresh);
			pushIfDue(room, pending, System.nanoTime());
		}
	}

	/** Frames waiting for a room, and when its last frames were pushed. */
	private static final class Outgoing {

		final List<String> waiting = new ArrayList<>();

		long pushedAt = System.nanoTime() - Long.MAX_VALUE / 2;

	}

	/**
	 * Holding {@code frames}' lock: pushes what waits, unless the room's last push is
	 * less than an interval old.
	 */
	private void pushIfDue(long room, Outgoing frames, long now) {
		if (frames.waiting.isEmpty() || now - frames.pushedAt < this.settings.framesFlushInterval().toNanos()) {
			return;
		}
		List<String> batch = List.copyOf(frames.waiting);
		frames.waiting.clear();
		frames.pushedAt = now;
		try {
			this.viewers.push(room, batch, reached -> {
			});
		}
		catch (RuntimeException ex) {
			log.warn("pushing {} frames to room {} failed: {}", batch.size(), room, ex.toString());
		}
	}

	/**
	 * Every fifth of the interval, pushes the rooms whose frames waited and whose last
	 * push is an interval old: a busy room gets at most one push per interval, and a
	 * frame waits at most an interval and a fifth.
	 */
	private void framesFlushLoop() {
		while (this.running) {
			try {
				Thread.sleep(Math.max(1, this.settings.framesFlushInterval().toMillis() / 5));
				long now = System.nanoTime();
				this.outgoing.forEach((room, frames) -> {
					synchronized (frames) {
						pushIfDue(room, frames, now);
					}
				});
				// A room quiet for a minute is forgotten (its next frame goes at once
				// anyway).
				this.outgoing.values().removeIf(frames -> {
					synchronized (frames) {
						return frames.waiting.isEmpty() && now - frames.pushedAt > FORGET_NANOS;
					}
				});
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Throwable ex) {
				// An error (out of direct memory, say) must not end the flusher: frames
				// would wait forever.
				log.warn("room frames flush failed: {}", ex.toString());
			}
		}
	}

	private void flushLoop() {
		while (this.running) {
			try {
				// The interval counts from the end of the previous pass, on purpose: when
				// a pass takes
				// long (a huge room, a busy machine), the next frames carry more items
				// instead of the
				// flusher running back to back and sending ever more, ever smaller
				// frames.
				Thread.sleep(this.settings.flushInterval().toMillis());
				for (Long room : List.copyOf(this.waiting.keySet())) {
					flush(room);
				}
				forgetQuietRooms();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				log.warn("barrage flush failed: {}", ex.toString());
			}
		}
	}

	private void forgetQuietRooms() {
		long now = System.nanoTime();
		if (now - this.sweptAt < FORGET_NANOS) {
			return;
		}
		this.sweptAt = now;
		synchronized (this.waiting) {
			this.seen.values().removeIf(recent -> now - recent.lastNanos > FORGET_NANOS);
		}
	}

	/** The ids a room pushed lately on this node, and when it last had barrage. */
	private static final class Recent {

		final SequencedSet<String> ids = new LinkedHashSet<>();

		long lastNanos;

	}

	private void flush(long room) {
		List<JsonNode> items;
		synchronized (this.waiting) {
			items = this.waiting.remove(room);
		}
		if (items == null || items.isEmpty()) {
			return;
		}
		String frame = this.json.writeValueAsString(Map.of("type", "batch", "items", items));
		int count = items.size();
		this.viewers.push(room, List.of(frame), reached -> this.delivered.increment((double) reached * count));
	}

	@Override
	public void destroy() {
		this.running = false;
		this.flusher.interrupt();
		this.framesFlusher.interrupt();
	}

}
