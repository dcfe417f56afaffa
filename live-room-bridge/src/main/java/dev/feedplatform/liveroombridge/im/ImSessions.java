package dev.feedplatform.liveroombridge.im;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.liveroombridge.barrage.BridgeNode;
import dev.feedplatform.liveroombridge.im.ConversationMapper.DeviceCursor;
import dev.feedplatform.liveroombridge.im.ConversationMapper.Position;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * This node's IM connections: registers each in the routing table, resumes its device where it
 * stands (every conversation with messages the device has not acknowledged is pumped on connect:
 * offline catch-up without waiting for a {@code sync}), hands delivered messages to the right
 * streams, retries what is not acknowledged, saves named devices' positions once a second, and
 * re-stamps the routing table on a heartbeat.
 */
@Component
class ImSessions {

	private static final Logger log = LoggerFactory.getLogger(ImSessions.class);

	private final Map<String, ImSession> byLink = new ConcurrentHashMap<>();

	private final Map<Long, Set<ImSession>> byUser = new ConcurrentHashMap<>();

	private final DeviceRegistry registry;

	private final ConversationMapper conversations;

	private final MessageMapper messages;

	private final ChatFrames frames;

	private final ImSettings settings;

	private final ImPresence presence;

	private final String node;

	private final Counter delivered;

	private final Counter gapReads;

	private final DeviceStream.History history;

	ImSessions(DeviceRegistry registry, ConversationMapper conversations, MessageMapper messages, ChatFrames frames, ImSettings settings,
			ImPresence presence, BridgeNode node, MeterRegistry meters) {
		this.registry = registry;
		this.conversations = conversations;
		this.messages = messages;
		this.frames = frames;
		this.settings = settings;
		this.presence = presence;
		this.node = node.id();
		this.delivered = Counter.builder("feed.im.delivered").description("chat frames written to devices (first sends, not retries)").register(meters);
		this.gapReads = Counter.builder("feed.im.history.reads").description("reads of stored messages to fill a device's stream").register(meters);
		Gauge.builder("feed.im.sessions", this.byLink, Map::size).description("IM connections on this node").register(meters);
		this.history = (conversation, after, upTo, limit) -> {
			this.gapReads.increment();
			return this.messages.after(conversation, after, upTo + 1, limit);
		};
	}

	DeviceStream.History history() {
		return this.history;
	}

	/** A connection opened: known locally at once (its frames may follow right away); nothing here blocks. */
	ImSession attach(ImLink link) {
		ImSession session = new ImSession(link);
		this.byLink.put(link.id(), session);
		this.byUser.computeIfAbsent(link.userId(), u -> ConcurrentHashMap.newKeySet()).add(session);
		return session;
	}

	/** Then, off the event loop: routing, presence, and catch-up of every conversation the device is behind in. */
	void resume(ImSession session) {
		ImLink link = session.link();
		this.registry.register(link.userId(), link.device(), this.node, System.currentTimeMillis());
		if (session.closed()) {
			// Closed while registering: the close's removal may have run first.
			this.registry.unregister(link.userId(), link.device(), this.node, System.currentTimeMillis());
			return;
		}
		this.presence.changed(link.userId());
		for (Position position : this.conversations.resume(link.userId(), link.device(), this.settings.resumeConversations())) {
			if (session.closed()) {
				return;
			}
			if (position.base() < position.maxSeq()) {
				stream(session, position.conversation(), () -> position).pump(this.history);
			}
		}
	}

	/** The connection is gone: routing and presence, and its devices' positions saved. */
	void closed(ImLink link) {
		ImSession session = this.byLink.remove(link.id());
		if (session == null) {
			return;
		}
		session.close();
		Set<ImSession> mine = this.byUser.get(link.userId());
		if (mine != null) {
			mine.remove(session);
			if (mine.isEmpty()) {
				this.byUser.remove(link.userId(), mine);
			}
		}
		saveCursors(List.of(session));
		this.registry.unregister(link.userId(), link.device(), this.node, System.currentTimeMillis());
		this.presence.changed(link.userId());
	}

	ImSession session(ImLink link) {
		return this.byLink.get(link.id());
	}

	/** What the router sent this node: messages into each recipient device's stream, frames straight out. */
	void deliver(ChatDelivery delivery) {
		for (ChatDelivery.Entry entry : delivery.entries()) {
			for (long user : entry.users()) {
				Set<ImSession> sessions = this.byUser.get(user);
				if (sessions == null) {
					continue;
				}
				for (ImSession session : sessions) {
					if (entry.message() != null) {
						StoredMessage message = entry.message();
						stream(session, message.conversation(), () -> positionOr(session, message.conversation(), message.seq() - 1))
							.offer(message, this.history);
					}
					else if (entry.frame() != null) {
						session.link().send(entry.frame());
					}
				}
			}
		}
	}

	/**
	 * The session's stream of a conversation; a new one starts where the device stands: its own
	 * acknowledged seq, else what its user has read (at most {@code atMost}, so the message that
	 * made the stream is always sent).
	 */
	DeviceStream stream(ImSession session, String conversation, java.util.function.Supplier<Position> position) {
		return session.stream(conversation, () -> {
			Position at = position.get();
			long base = at == null ? 0 : at.base();
			long known = at == null ? 0 : at.maxSeq();
			return new DeviceStream(conversation, base, known, message -> {
				this.delivered.increment();
				session.link().send(this.frames.chat(message));
			}, this.settings.window(), this.settings.retryInitial().toNanos(), this.settings.retryMax().toNanos());
		});
	}

	private Position positionOr(ImSession session, String conversation, long atMost) {
		Position at = this.conversations.position(session.userId(), session.device(), conversation);
		if (at == null || at.base() > atMost) {
			return new Position(conversation, atMost, atMost, atMost);
		}
		return at;
	}

	/** Frames for users with a session on this node (tests and local shortcuts). */
	boolean hasLocal(long userId) {
		Set<ImSession> sessions = this.byUser.get(userId);
		return sessions != null && !sessions.isEmpty();
	}

	@Scheduled(fixedDelay = 250)
	void retry() {
		long now = System.nanoTime();
		for (ImSession session : this.byLink.values()) {
			for (DeviceStream stream : session.streams()) {
				stream.retry(now);
			}
		}
	}

	@Scheduled(fixedDelayString = "${feed.im.cursor-flush:1s}")
	void flushCursors() {
		try {
			saveCursors(this.byLink.values());
		}
		catch (RuntimeException ex) {
			log.warn("could not save device positions now: {}", ex.toString());
		}
	}

	private void saveCursors(java.util.Collection<ImSession> sessions) {
		List<DeviceCursor> cursors = new ArrayList<>();
		for (ImSession session : sessions) {
			if (!session.link().namedDevice()) {
				continue;
			}
			for (DeviceStream stream : session.streams()) {
				long acked = stream.takeDirtyAck();
				if (acked > 0) {
					cursors.add(new DeviceCursor(session.userId(), session.device(), stream.conversation(), acked));
				}
			}
		}
		if (cursors.isEmpty()) {
			return;
		}
		cursors.sort(Comparator.comparingLong(DeviceCursor::userId).thenComparing(DeviceCursor::device).thenComparing(DeviceCursor::conversation));
		for (int from = 0; from < cursors.size(); from += 500) {
			this.conversations.saveCursors(cursors.subList(from, Math.min(cursors.size(), from + 500)));
		}
	}

	/** Every 20 s: this node's devices and their users' last activity back into the routing table (it heals after a Redis restart). */
	@Scheduled(fixedDelayString = "${feed.gateway.heartbeat-ms:20000}")
	void heartbeat() {
		List<Map.Entry<Long, String>> devices = new ArrayList<>();
		Map<Long, Long> lastActive = new HashMap<>();
		for (ImSession session : this.byLink.values()) {
			devices.add(new AbstractMap.SimpleEntry<>(session.userId(), session.device()));
			lastActive.merge(session.userId(), session.lastActive(), Math::max);
		}
		try {
			this.registry.stamp(devices, this.node, lastActive);
		}
		catch (RuntimeException ex) {
			log.warn("could not re-stamp IM routing: {}", ex.toString());
		}
	}

}
