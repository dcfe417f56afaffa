package dev.feedplatform.liveroombridge.gateway;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.liveroombridge.barrage.BarrageIngress;
import dev.feedplatform.liveroombridge.barrage.BridgeNode;
import dev.feedplatform.liveroombridge.barrage.NodeDelivery;
import dev.feedplatform.liveroombridge.barrage.RoomRouting;
import dev.feedplatform.liveroombridge.im.ImGateway;
import dev.feedplatform.liveroombridge.room.RoomView;
import dev.feedplatform.liveroombridge.room.Rooms;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import org.springframework.scheduling.annotation.Scheduled;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WebSocket protocol of API.md, whatever server carries it: Tomcat's container on the
 * application port ({@link ServletEndpoint}) or the gateway's own Netty server
 * ({@link NettyGateway}). Tokens were checked before the handshake (401 otherwise). Every
 * connection sends through a bounded way out ({@link Connection}): a viewer that falls
 * {@code send-buffer-bytes} or {@code send-time-limit} behind is disconnected instead of
 * slowing everyone else in its room. Bad input never closes a connection silently: it
 * gets an {@code error} frame with an HTTP-like status (400 malformed, 404 unknown room,
 * 413 too large, 429 too fast, 503 a store failed). {@code chat}, {@code ack} and
 * {@code sync} belong to IM ({@link ImGateway}).
 */
@Component
class Gateway {

	private static final Logger log = LoggerFactory.getLogger(Gateway.class);

	private final Rooms rooms;

	private final Presence presence;

	private final GatewaySettings settings;

	private final JsonMapper json;

	private final String node;

	private final RoomRouting routing;

	private final BarrageIngress barrage;

	private final ImGateway im;

	private final ConnectionQuota quota;

	private final Map<String, Connection> connections = new ConcurrentHashMap<>();

	/** This node's viewers per room: where a room's merged batches go. */
	private final Map<Long, Set<Connection>> byRoom = new ConcurrentHashMap<>();

	private final Counter dropped;

	Gateway(Rooms rooms, Presence presence, GatewaySettings settings, JsonMapper json, BridgeNode node,
			RoomRouting routing, BarrageIngress barrage, NodeDelivery delivery, ImGateway im, ConnectionQuota quota,
			MeterRegistry meters) {
		this.quota = quota;
		this.dropped = Counter.builder("feed.gateway.viewers.dropped")
			.description("viewers cut off for falling behind")
			.register(meters);
		Gauge.builder("feed.gateway.connections", this, Gateway::connectionCount)
			.description("open WebSocket connections on this node, both servers")
			.register(meters);
		this.rooms = rooms;
		this.presence = presence;
		this.settings = settings;
		this.json = json;
		this.node = node.id();
		this.routing = routing;
		this.barrage = barrage;
		this.im = im;
		delivery.viewers(this::push);
		delivery.onClosed(this::roomClosed);
	}

	/**
	 * Sends serialised frames, in order, to every local viewer of the room, encoded once,
	 * handed to each lane once with that lane's viewers (a Netty event loop writes its
	 * own channels in one task; Tomcat connections only queue on the flusher's thread).
	 * Slow viewers are dropped by their bounded queue. (Measured: spreading servlet
	 * writes over writer threads per core was slower, the writes' completions then
	 * crossing threads.)
	 */
	private void push(long roomId, List<String> texts, IntConsumer reached) {
		Set<Connection> viewers = this.byRoom.get(roomId);
		if (viewers == null || viewers.isEmpty()) {
			return;
		}
		List<OutboundFrame> frames = texts.stream().map(OutboundFrame::of).toList();
		Map<Lane, List<Connection>> lanes = new HashMap<>();
		for (Connection viewer : viewers) {
			lanes.computeIfAbsent(viewer.lane(), lane -> new ArrayList<>()).add(viewer);
		}
		lanes.forEach((lane, members) -> lane.deliver(frames, members, reached));
	}

	/** Drops viewers whose socket has not taken a frame within the send time limit. */
	@Scheduled(fixedDelay = 1000)
	void dropStuckWriters() {
		long limit = this.settings.sendTimeLimit().toNanos();
		long now = System.nanoTime();
		for (Connection connection : this.connections.values()) {
			connection.dropIfStuck(now, limit);
		}
	}

	/** A connection whose handshake completed. */
	void opened(Connection connection) {
		this.connections.put(connection.id(), connection);
		// at once: frames sent right after the handshake need the session
		this.im.opened(connection);
		this.quota.admit(connection, () -> {
		}, () -> {
			connection.refused = true;
			error(connection, 429, "too many WebSocket connections for this user (at most " + this.quota.limit() + ")");
			connection.refuse();
		});
	}

	/**
	 * One text frame from the client, handled on a thread that may block, in the order
	 * the connection sent them.
	 */
	void received(Connection connection, String payload) {
		if (connection.refused) {
			return; // over the user's connection quota: closing
		}
		JsonNode frame = null;
		String problem = null;
		int status = 400;
		if (payload == null) {
			problem = "frames are text: one JSON object each";
		}
		else if (payload.length() > this.settings.maxFrameChars()) {
			status = 413;
			problem = "frame larger than " + this.settings.maxFrameChars() + " characters";
		}
		else {
			try {
				frame = this.json.readTree(payload);
			}
			catch (RuntimeException ex) {
				problem = "a frame is one JSON object";
			}
			if (problem == null && (frame == null || !frame.isObject() || !frame.path("type").isString())) {
				problem = "a frame is one JSON object with a \"type\"";
			}
		}
		// Acknowledgements don't count against the frame rate: a device in a busy
		// conversation acks
		// what it receives, and an ack only moves a cursor (no store write). Everything
		// else does,
		// bad frames included.
		boolean ack = problem == null && "ack".equals(frame.path("type").asString());
		if (!ack && !connection.admit()) {
			error(connection, 429, "too many frames; slow down", ImGateway.clientSeqOf(frame));
			return;
		}
		if (problem != null) {
			error(connection, status, problem);
			return;
		}
		// The same answer on both servers when a store fails (Redis, the database, the
		// broker):
		// the client is told to retry and keeps its connection.
		try {
			this.im.active(connection);
			switch (frame.path("type").asString()) {
				case "ping" -> send(connection, Map.of("type", "pong"));
				case "join" -> join(connection, frame);
				case "leave" -> leave(connection, frame);
				case "barrage" -> barrage(connection, frame);
				case "chat", "ack", "sync" -> this.im.received(connection, frame.path("type").asString(), frame);
				default -> error(connection, 400, "unknown frame type");
			}
		}
		catch (RuntimeException ex) {
			log.warn("gateway frame failed: {}", ex.toString());
			error(connection, 503, "could not handle the frame now; try again", ImGateway.clientSeqOf(frame));
		}
	}

	private void join(Connection connection, JsonNode frame) {
		Long roomId = roomOf(connection, frame);
		if (roomId == null) {
			return;
		}
		RoomView room = this.rooms.find(roomId).orElse(null);
		if (room == null || !"OPEN".equals(room.status())) {
			error(connection, 404, "no open room " + roomId);
			return;
		}
		if (connection.rooms.add(roomId)) {
			this.byRoom.computeIfAbsent(roomId, r -> ConcurrentHashMap.newKeySet()).add(connection);
			this.routing.viewerJoined(roomId);
		}
		this.presence.enter(roomId, connection.member(this.node));
		Map<String, Object> joined = new LinkedHashMap<>();
		joined.put("type", "joined");
		joined.put("room", Long.toString(roomId));
		joined.put("viewers", this.presence.count(roomId));
		send(connection, joined);
	}

	private void leave(Connection connection, JsonNode frame) {
		Long roomId = roomOf(connection, frame);
		if (roomId != null && connection.rooms.remove(roomId)) {
			departed(connection, roomId);
			send(connection, Map.of("type", "left", "room", Long.toString(roomId)));
		}
	}

	/**
	 * The room closed (here or on another node): its viewers here are told and leave it.
	 */
	private void roomClosed(long roomId) {
		this.rooms.markClosed(roomId);
		Set<Connection> viewers = this.byRoom.get(roomId);
		if (viewers == null) {
			return;
		}
		for (Connection viewer : List.copyOf(viewers)) {
			if (viewer.rooms.remove(roomId)) {
				departed(viewer, roomId);
				send(viewer, Map.of("type", "closed", "room", Long.toString(roomId)));
			}
		}
	}

	private void departed(Connection connection, long roomId) {
		Set<Connection> viewers = this.byRoom.get(roomId);
		if (viewers != null) {
			viewers.remove(connection);
		}
		this.routing.viewerLeft(roomId);
		this.presence.leave(roomId, connection.member(this.node));
	}

	private void barrage(Connection connection, JsonNode frame) {
		Long roomId = roomOf(connection, frame);
		if (roomId == null) {
			return;
		}
		if (!this.rooms.isOpen(roomId)) {
			error(connection, 404, "no open room " + roomId);
			return;
		}
		if (!connection.rooms.contains(roomId)) {
			error(connection, 403, "join the room before sending barrage to it");
			return;
		}
		JsonNode offset = frame.path("offset_ms");
		try {
			this.barrage.accept(roomId, connection.userId,
					frame.path("text").isString() ? frame.path("text").asString() : null,
					offset.isNumber() ? Long.valueOf(offset.asLong()) : null);
		}
		catch (Problem problem) {
			error(connection, problem.status(), problem.getMessage());
		}
	}

	private Long roomOf(Connection connection, JsonNode frame) {
		String raw = frame.path("room").isString() ? frame.path("room").asString() : null;
		try {
			long id = raw == null ? -1 : Long.parseLong(raw);
			if (id > 0) {
				return id;
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		error(connection, 400, "\"room\" must be a room id (a string of digits)");
		return null;
	}

	/**
	 * The connection is gone, closed or not: it leaves its rooms here and in presence.
	 */
	void closed(Connection connection) {
		this.quota.release(connection);
		if (this.connections.remove(connection.id(), connection)) {
			try {
				connection.rooms.forEach(room -> departed(connection, room));
			}
			finally {
				this.im.closed(connection);
			}
		}
	}

	/** Counts a viewer cut off for falling behind. */
	void viewerDropped() {
		this.dropped.increment();
	}

	int connectionCount() {
		return this.connections.size();
	}

	void error(Connection connection, int status, String detail) {
		error(connection, status, detail, null);
	}

	/**
	 * An error frame; {@code client_seq} when the frame was a chat with one, so the
	 * client knows which send it answers.
	 */
	void error(Connection connection, int status, String detail, Long clientSeq) {
		Map<String, Object> frame = new LinkedHashMap<>();
		frame.put("type", "error");
		frame.put("status", status);
		frame.put("detail", detail);
		if (clientSeq != null) {
			frame.put("client_seq", clientSeq);
		}
		send(connection, frame);
	}

	private void send(Connection connection, Map<String, ?> frame) {
		connection.send(OutboundFrame.of(this.json.writeValueAsString(frame)));
	}

}
