package dev.feedplatform.liveroombridge.im;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.liveroombridge.barrage.BridgeNode;
import dev.feedplatform.liveroombridge.barrage.RoomRouting;
import dev.feedplatform.liveroombridge.im.ConversationMapper.DeviceCursor;
import dev.feedplatform.liveroombridge.im.ConversationMapper.Position;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * This node's IM connections: registers each in the routing table, resumes its device
 * where it stands (every conversation with messages the device has not acknowledged is
 * pumped on connect: offline catch-up without waiting for a {@code sync}), hands
 * delivered messages to the right streams, retries what is not acknowledged, saves named
 * devices' positions once a second, and re-stamps the routing table on a heartbeat.
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

	private final StringRedisTemplate redis;

	private final RoomRouting rooms;

	/**
	 * Chat frames rendered once per message on this node, however many devices here get
	 * it (a group's members).
	 */
	private final Cache<Long, String> rendered = Caffeine.newBuilder()
		.maximumSize(20_000)
		.expireAfterWrite(Duration.ofSeconds(30))
		.build();

	ImSessions(StringRedisTemplate redis, RoomRouting rooms, DeviceRegistry registry, ConversationMapper conversations,
			MessageMapper messages, ChatFrames frames, ImSettings settings, ImPresence presence, BridgeNode node,
			MeterRegistry meters) {
		this.redis = redis;
		this.rooms = rooms;
		this.registry = registry;
		this.conversations = conversations;
		this.messages = messages;
		this.frames = frames;
		this.settings = settings;
		this.presence = presence;
		this.node = node.id();
		this.delivered = Counter.builder("feed.im.delivered")
			.description("chat frames written to devices (first sends, not retries)")
			.register(meters);
		this.gapReads = Counter.builder("feed.im.history.reads")
			.description("reads of stored messages to fill a device's stream")
			.register(meters);
		Gauge.builder("feed.im.sessions", this.byLink, Map::size)
			.description("IM connections on this node")
			.register(meters);
		this.history = (conversation, after, upTo, limit) -> {
			this.gapReads.increment();
			return this.messages.after(conversation, after, upTo + 1, limit);
		};
	}

	DeviceStream.History history() {
		return this.history;
	}

	/**
	 * A connection opened: known locally at once (its frames may follow right away);
	 * nothing here blocks.
	 */
	ImSession attach(ImLink link) {
		ImSession session = new ImSession(link);
		this.byLink.put(link.id(), session);
		// compute: adding and removing a user's last session must not interleave (a
		// reconnect to
		// the same node would otherwise lose its new session along with the emptied set).
		this.byUser.compute(link.userId(), (user, sessions) -> {
			Set<ImSession> set = sessions != null ? sessions : ConcurrentHashMap.newKeySet();
			set.add(session);
			return set;
		});
		return session;
	}

	/**
	 * Then, off the event loop: routing, presence, and catch-up of every conversation the
	 * device is behind in.
	 */
	void resume(ImSession session) {
		ImLink link = session.link();
		Map<String, Long> startFrom = new HashMap<>();
		try {
			this.registry.register(link.userId(), field(link), this.node, System.currentTimeMillis());
			if (session.closed()) {
				// Closed while registering: the close's removal may have run first.
				this.registry.unregister(link.userId(), field(link), System.currentTimeMillis());
				return;
			}
			this.presence.changed(link.userId());
			startFrom = catchUp(session);
		}
		finally {
			for (StoredMessage message : session.resumed(startFrom)) {
				session.run(() -> offerSafely(session, message));
			}
		}
	}

	/**
	 * Every conversation the device is behind in (by its own acknowledgements, else its
	 * user's reads) is pumped from MariaDB; a stream that exists learns how far the
	 * conversation goes. Answers, per conversation read, the mark a stream made later
	 * starts from.
	 */
	private Map<String, Long> catchUp(ImSession session) {
		ImLink link = session.link();
		Map<String, Long> startFrom = new HashMap<>();
		for (Position position : this.conversations.resume(link.userId(), link.device(),
				this.settings.resumeConversations())) {
			if (session.closed()) {
				break;
			}
			startFrom.put(position.conversation(), Math.max(position.base(), position.maxSeq()));
			DeviceStream existing = session.existing(position.conversation());
			if (existing != null) {
				existing.learn(position.maxSeq(), this.history);
			}
			else if (position.base() < position.maxSeq()) {
				stream(session, position.conversation(), () -> position).pump(this.history);
			}
		}
		return startFrom;
	}

	/**
	 * Once a second: is this node's part of the routing table still in Redis? If Redis
	 * lost it (flushed, restarted empty), messages stored meanwhile were routed to nobody
	 * here. Re-stamp every device, then catch every session up from MariaDB: what was
	 * missed is sent, in order.
	 */
	@Scheduled(fixedDelay = 1000)
	void watchRouting() {
		try {
			if (Boolean.TRUE.equals(this.redis.hasKey(RedisKeys.imNodeSentinel(this.node)))
					&& Boolean.TRUE.equals(this.redis.hasKey(RedisKeys.bridgeNodeAlive(this.node)))) {
				return;
			}
			// the node's liveness: without it routing skips this node
			this.rooms.heartbeat();
			heartbeat();
			this.redis.opsForValue().set(RedisKeys.imNodeSentinel(this.node), "1", DeviceRegistry.KEEP);
			if (!this.byLink.isEmpty()) {
				log.info("IM routing of this node was missing in Redis; re-stamped {} devices and catching them up",
						this.byLink.size());
			}
			for (ImSession session : this.byLink.values()) {
				catchUp(session);
			}
		}
		catch (RuntimeException ex) {
			log.warn("could not check IM routing now: {}", ex.toString());
		}
	}

	/** The connection is gone: routing and presence, and its devices' positions saved. */
	void closed(ImLink link) {
		ImSession session = this.byLink.remove(link.id());
		if (session == null) {
			return;
		}
		session.close();
		this.byUser.computeIfPresent(link.userId(), (user, sessions) -> {
			sessions.remove(session);
			return sessions.isEmpty() ? null : sessions;
		});
		try {
			saveCursors(List.of(session));
		}
		finally {
			this.registry.unregister(link.userId(), field(link), System.currentTimeMillis());
			this.presence.changed(link.userId());
		}
	}

	private String field(ImLink link) {
		return DeviceRegistry.field(link.device(), this.node, link.id());
	}

	ImSession session(ImLink link) {
		return this.byLink.get(link.id());
	}

	/**
	 * What the router sent this node: messages into each recipient device's stream,
	 * frames straight out.
	 */
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
						session.run(() -> offerSafely(session, message));
					}
					else if (entry.frame() != null) {
						session.link().send(entry.frame());
					}
				}
			}
		}
	}

	/**
	 * The session's stream of a conversation; a new one starts at {@code position}'s base
	 * (see {@link #startOf}), or there is none when {@code position} answers null.
	 */
	DeviceStream stream(ImSession session, String conversation, Supplier<Position> position) {
		return session.stream(conversation, () -> {
			Position at = position.get();
			if (at == null) {
				return null;
			}
			long base = at.base();
			long known = at.maxSeq();
			DeviceStream.ImLinkFrames out = new DeviceStream.ImLinkFrames() {
				@Override
				public void chat(StoredMessage message) {
					ImSessions.this.delivered.increment();
					session.link()
						.send(ImSessions.this.rendered.get(message.msgId(),
								id -> ImSessions.this.frames.chat(message)));
				}

				@Override
				public boolean room() {
					return session.link().roomToSend();
				}
			};
			return new DeviceStream(conversation, base, known, out, this.settings.window(),
					this.settings.retryInitial().toNanos(), this.settings.retryMax().toNanos());
		});
	}

	/**
	 * An offer that failed (a store down for a moment) is made good by a catch-up from
	 * MariaDB a little later.
	 */
	private void offerSafely(ImSession session, StoredMessage message) {
		try {
			offer(session, message);
		}
		catch (RuntimeException ex) {
			log.warn("could not deliver {} to {}; catching it up shortly: {}", message.msgId(), session.link().id(),
					ex.toString());
			Thread.startVirtualThread(() -> {
				try {
					Thread.sleep(1_000);
					session.run(() -> {
						try {
							catchUp(session);
						}
						catch (RuntimeException again) {
							log.warn("catch-up of {} failed too: {}", session.link().id(), again.toString());
						}
					});
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
				}
			});
		}
	}

	private void offer(ImSession session, StoredMessage message) {
		if (session.holdIfResuming(message)) {
			return;
		}
		DeviceStream stream = stream(session, message.conversation(), () -> startOf(session, message));
		if (stream == null) {
			return; // not (any longer) in the conversation: a removed member reached
					// through a stale member list
		}
		if (message.from() == session.userId() && message.device().equals(session.device())) {
			// the sending device has it: its `sent` answered it
			stream.offerOwn(message, this.history);
		}
		else {
			stream.offer(message, this.history);
		}
	}

	/**
	 * Where a stream made by a delivered message starts. The resume snapshot knows most
	 * conversations (everything after its mark was routed here). Otherwise the
	 * conversation is new to this connection since it resumed (all of it was routed here:
	 * from 0), or older than the snapshot reached: from the device's own acknowledgement
	 * if it has one, else a window before the message (older history is the client's to
	 * page). Null when the user has no row for the conversation: a member removed from a
	 * group whose list another node still had cached.
	 */
	private Position startOf(ImSession session, StoredMessage message) {
		String conversation = message.conversation();
		Long mark = session.startFrom(conversation);
		if (mark != null) {
			return new Position(conversation, mark, mark, mark);
		}
		Position at = this.conversations.position(session.userId(), session.device(), conversation);
		if (at == null) {
			// the user has no such conversation (any more): nothing to stream
			return null;
		}
		if (at.ackedSeq() != null) {
			return at;
		}
		long from = Math.max(0, message.seq() - 1 - this.settings.window());
		return new Position(conversation, from, from, from);
	}

	/**
	 * Every 250 ms: what waits for an ack past its backoff is sent again, and what the
	 * socket held back goes on.
	 */
	@Scheduled(fixedDelay = 250)
	void retry() {
		long now = System.nanoTime();
		for (ImSession session : this.byLink.values()) {
			for (DeviceStream stream : session.streams()) {
				stream.retry(now);
				if (stream.pending() && session.link().roomToSend()) {
					try {
						stream.pump(this.history);
					}
					catch (RuntimeException ex) {
						log.debug("could not pump {} now: {}", stream.conversation(), ex.toString());
					}
				}
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

	private void saveCursors(Collection<ImSession> sessions) {
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
		cursors.sort(Comparator.comparingLong(DeviceCursor::userId)
			.thenComparing(DeviceCursor::device)
			.thenComparing(DeviceCursor::conversation));
		for (int from = 0; from < cursors.size(); from += 500) {
			this.conversations.saveCursors(cursors.subList(from, Math.min(cursors.size(), from + 500)));
		}
	}

	/**
	 * Every 20 s: this node's devices and their users' last activity back into the
	 * routing table (it heals after a Redis restart).
	 */
	@Scheduled(fixedDelayString = "${feed.gateway.heartbeat-ms:20000}")
	void heartbeat() {
		List<DeviceRegistry.Stamp> devices = new ArrayList<>();
		List<ImSession> stamped = new ArrayList<>();
		Map<Long, Long> lastActive = new HashMap<>();
		for (ImSession session : this.byLink.values()) {
			devices.add(new DeviceRegistry.Stamp(session.userId(), field(session.link()), this.node));
			stamped.add(session);
			lastActive.merge(session.userId(), session.lastActive(), Math::max);
		}
		try {
			this.registry.stamp(devices, lastActive);
			// A session that closed while the stamp was on its way may have been stamped
			// back in: out again.
			for (ImSession session : stamped) {
				if (session.closed()) {
					this.registry.unregister(session.userId(), field(session.link()), System.currentTimeMillis());
				}
			}
		}
		catch (RuntimeException ex) {
			log.warn("could not re-stamp IM routing: {}", ex.toString());
		}
	}

}
