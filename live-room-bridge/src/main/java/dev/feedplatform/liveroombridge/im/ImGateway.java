package dev.feedplatform.liveroombridge.im;

import java.time.Duration;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.error.Require;
import dev.feedplatform.liveroombridge.im.MessageStore.Draft;
import dev.feedplatform.runtime.messaging.Deliveries;
import dev.feedplatform.runtime.messaging.Subscription;
import dev.feedplatform.runtime.ports.UserDirectory;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * IM's side of the WebSocket protocol (API.md "IM (chat)"), called by the gateway for
 * both servers: {@code chat} (checked, rate limited, stored once per idempotency key,
 * answered {@code sent}), {@code ack}, {@code sync}; connections opening and closing. Bad
 * input gets an {@code error} frame with a status (400, 403, 404, 413, 429; 503 when a
 * store failed) and the connection stays open.
 */
@Component
@EnableConfigurationProperties(ImSettings.class)
public class ImGateway {

	private static final Logger log = LoggerFactory.getLogger(ImGateway.class);

	/**
	 * Tries to route and catch up a new connection before giving up on it (the heartbeat
	 * still routes it).
	 */
	static final int RESUME_ATTEMPTS = 3;

	/**
	 * Consumer group prefix of each node's own delivery subscription (one group per node:
	 * every node gets its own messages).
	 */
	static final String NODE_GROUP = "feed-im-node-";

	private final ImSessions sessions;

	private final SendQueue queue;

	private final SendRate rate;

	private final ChatFrames frames;

	private final ImSettings settings;

	private final UserDirectory users;

	private final ChatRouter.GroupMembers groups;

	private final Memberships memberships;

	private final MessageMapper messages;

	private final JsonMapper json;

	/**
	 * Users known to exist (accounts are never deleted): a chat to them needs no lookup.
	 */
	private final Cache<Long, Boolean> knownUsers = Caffeine.newBuilder()
		.maximumSize(200_000)
		.expireAfterWrite(Duration.ofMinutes(10))
		.build();

	ImGateway(ImSessions sessions, SendQueue queue, SendRate rate, ChatFrames frames, ImSettings settings,
			UserDirectory users, ChatRouter.GroupMembers groups, Memberships memberships, MessageMapper messages,
			JsonMapper json) {
		this.sessions = sessions;
		this.queue = queue;
		this.rate = rate;
		this.frames = frames;
		this.settings = settings;
		this.users = users;
		this.groups = groups;
		this.memberships = memberships;
		this.messages = messages;
		this.json = json;
	}

	/**
	 * A connection completed its handshake (may be called on an event loop: the work runs
	 * on a virtual thread).
	 */
	public void opened(ImLink link) {
		ImSession session = this.sessions.attach(link);
		Thread.startVirtualThread(() -> {
			// A store failing at this moment must not leave the connection unrouted: try
			// again, a few times.
			for (int attempt = 1; attempt <= RESUME_ATTEMPTS && !session.closed(); attempt++) {
				try {
					this.sessions.resume(session);
					return;
				}
				catch (RuntimeException ex) {
					log.warn("could not resume IM for {} (attempt {}): {}", link.id(), attempt, ex.toString());
					try {
						Thread.sleep(1_000L * attempt);
					}
					catch (InterruptedException interrupted) {
						Thread.currentThread().interrupt();
						return;
					}
				}
			}
		});
	}

	/** The connection is gone. */
	public void closed(ImLink link) {
		try {
			this.sessions.closed(link);
		}
		catch (RuntimeException ex) {
			// At shutdown Redis may be gone first; the node's liveness key lapses and
			// takes the entry with it.
			log.debug("could not record that {} closed: {}", link.id(), ex.toString());
		}
	}

	/** Any frame from the client: a sign of life for presence. */
	public void active(ImLink link) {
		ImSession session = this.sessions.session(link);
		if (session != null) {
			session.touch();
		}
	}

	/** A {@code chat}, {@code ack} or {@code sync} frame. */
	public void received(ImLink link, String type, JsonNode frame) {
		Long clientSeq = null;
		try {
			switch (type) {
				case "chat" -> {
					clientSeq = clientSeq(frame);
					chat(link, frame, clientSeq);
				}
				case "ack" -> ack(link, frame);
				case "sync" -> sync(link, frame);
				default -> throw Problem.badRequest("unknown frame type");
			}
		}
		catch (Problem problem) {
			link.send(this.frames.error(problem.status(), problem.getMessage(), clientSeq));
		}
		catch (RuntimeException ex) {
			// A store failed (Redis for the rate, the database for a group): the client
			// retries, with its client_seq.
			log.warn("IM frame failed: {}", ex.toString());
			link.send(this.frames.error(503, "could not handle the frame now; try again", clientSeq));
		}
	}

	/**
	 * The frame's {@code client_seq} when it has a readable one (for error frames the
	 * gateway answers itself).
	 */
	public static Long clientSeqOf(JsonNode frame) {
		JsonNode raw = frame == null ? null : frame.path("client_seq");
		return raw != null && raw.isIntegralNumber() && raw.canConvertToLong() ? raw.asLong() : null;
	}

	private void chat(ImLink link, JsonNode frame, long clientSeq) {
		boolean toUser = frame.has("to");
		boolean toGroup = frame.has("group");
		if (toUser == toGroup) {
			throw Problem.badRequest("a chat names exactly one of \"to\" (a user id) or \"group\" (a group id)");
		}
		JsonNode text = frame.path("text");
		if (!text.isString() || text.asString().isBlank()) {
			throw Problem.badRequest("\"text\" must be a non-empty string");
		}
		String body = Require.wellFormed(text.asString(), "text");
		if (body.codePointCount(0, body.length()) > this.settings.maxChars()) {
			throw Problem.tooLarge("text is longer than " + this.settings.maxChars() + " characters");
		}
		ConversationId conversation;
		if (toUser) {
			long to = id(frame.path("to"), "to");
			if (to == link.userId()) {
				throw Problem.badRequest("a chat goes to someone else");
			}
			if (this.knownUsers.getIfPresent(to) == null) {
				if (this.users.user(to).isEmpty()) {
					throw Problem.notFound("no user " + to);
				}
				this.knownUsers.put(to, Boolean.TRUE);
			}
			conversation = ConversationId.direct(link.userId(), to);
		}
		else {
			long group = id(frame.path("group"), "group");
			List<Long> members = this.groups.members(group);
			if (members.isEmpty()) {
				throw Problem.notFound("no group " + group);
			}
			conversation = ConversationId.ofGroup(group);
		}
		if (!this.rate.admit(link.userId())) {
			throw Problem
				.tooManyRequests("sending too fast; at most " + this.settings.sendRate() + " messages a second");
		}
		Draft draft = new Draft(link.userId(), link.device(), clientSeq, conversation, body,
				System.currentTimeMillis());
		this.queue.submit(draft).whenComplete((outcome, failure) -> {
			if (failure != null) {
				Problem problem = failure instanceof Problem p ? p
						: Problem.unavailable("could not store the message now; send it again");
				link.send(this.frames.error(problem.status(), problem.getMessage(), clientSeq));
			}
			else if (outcome.refused() != null) {
				link.send(this.frames.error(outcome.refused().status(), outcome.refused().getMessage(), clientSeq));
			}
			else {
				link.send(this.frames.sent(clientSeq, outcome.message()));
			}
		});
	}

	private void ack(ImLink link, JsonNode frame) {
		ImSession session = this.sessions.session(link);
		if (frame.has("msg_id")) {
			long msgId = id(frame.path("msg_id"), "msg_id");
			if (session != null) {
				for (DeviceStream stream : session.streams()) {
					if (stream.ackMessage(msgId, this.sessions.history())) {
						return;
					}
				}
			}
			return; // already acknowledged, or never sent here: nothing to do
		}
		ConversationId conversation = ConversationId
			.parse(frame.path("conversation").isString() ? frame.path("conversation").asString() : null);
		long seq = number(frame.path("seq"), "seq");
		DeviceStream stream = session == null ? null : session.existing(conversation.value());
		if (stream != null) {
			stream.ack(seq, this.sessions.history());
		}
	}

	private void sync(ImLink link, JsonNode frame) {
		ConversationId conversation = ConversationId
			.parse(frame.path("conversation").isString() ? frame.path("conversation").asString() : null);
		long after = number(frame.path("after_seq"), "after_seq");
		int size = this.settings.syncPage();
		if (!frame.path("size").isMissingNode() && !frame.path("size").isNull()) {
			long asked = number(frame.path("size"), "size");
			if (asked < 1 || asked > this.settings.syncPageMax()) {
				throw Problem.badRequest("size must be 1 to " + this.settings.syncPageMax());
			}
			size = (int) asked;
		}
		this.memberships.require(link.userId(), conversation);
		ImSession session = this.sessions.session(link);
		if (session == null) {
			throw Problem.unavailable("the connection is closing");
		}
		Long max = this.messages.maxSeq(conversation.value());
		long maxSeq = max == null ? 0 : max;
		DeviceStream stream = this.sessions.stream(session, conversation.value(),
				() -> new ConversationMapper.Position(conversation.value(), maxSeq, Math.min(after, maxSeq),
						Math.min(after, maxSeq)));
		long upTo = stream.sync(after, maxSeq, size, this.sessions.history());
		link.send(this.frames.synced(conversation.value(), upTo, upTo < maxSeq));
		stream.pump(this.sessions.history());
	}

	private static long clientSeq(JsonNode frame) {
		JsonNode raw = frame.path("client_seq");
		if (!raw.isIntegralNumber() || !raw.canConvertToLong() || raw.asLong() < 0) {
			throw Problem.badRequest("\"client_seq\" must be a non-negative integer");
		}
		return raw.asLong();
	}

	private static long number(JsonNode raw, String name) {
		if (raw.isIntegralNumber() && raw.canConvertToLong() && raw.asLong() >= 0) {
			return raw.asLong();
		}
		if (raw.isString()) {
			try {
				long value = Long.parseLong(raw.asString());
				if (value >= 0) {
					return value;
				}
			}
			catch (NumberFormatException ex) {
				// answered below
			}
		}
		throw Problem.badRequest("\"" + name + "\" must be a non-negative integer");
	}

	private static long id(JsonNode raw, String name) {
		long id = number(raw, name);
		if (id <= 0) {
			throw Problem.badRequest("\"" + name + "\" must be an id");
		}
		return id;
	}

	/**
	 * Each node subscribes to the messages addressed to it, from the newest on, on one
	 * thread: its messages sit on one queue in the order they were routed, and handling
	 * them only queues frames, so one thread keeps up, and in order (out of order, a
	 * stream reads the gap from MariaDB). A group of its own per process, not per node
	 * id: a node restarted under the same id within the broker's two-minute client
	 * timeout would otherwise share its group with its dead self, and the broker would
	 * hand the dead one the queue (deliveries stalled until it expired).
	 */
	Subscription nodeDeliveries(String node) {
		String group = NODE_GROUP + node + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
		return new Subscription(group, ChatRouter.TOPIC,
				Deliveries.each("IM delivery", this::decode, this.sessions::deliver), 1)
			.only(node, ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET);
	}

	private ChatDelivery decode(MessageExt message) {
		try {
			return this.json.readValue(message.getBody(), ChatDelivery.class);
		}
		catch (JacksonException malformed) {
			throw new IllegalArgumentException(malformed.getOriginalMessage(), malformed);
		}
	}

}
