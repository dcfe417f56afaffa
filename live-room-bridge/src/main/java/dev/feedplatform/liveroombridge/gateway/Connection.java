package dev.feedplatform.liveroombridge.gateway;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.feedplatform.liveroombridge.im.ImLink;
import io.github.bucket4j.Bucket;

/**
 * One viewer's WebSocket connection, whatever serves it (Tomcat on the application port,
 * or the gateway's own Netty server): its user and device (IM's {@link ImLink}), the
 * rooms it joined, a token bucket for the frames it may send, and a bounded way out. A
 * viewer too far behind is dropped (closed) instead of slowing its room.
 */
abstract class Connection implements ImLink {

	final long userId;

	/**
	 * The handshake's {@code device}, or a generated id: then the connection is its own
	 * device.
	 */
	private final String device;

	private final boolean namedDevice;

	final Set<Long> rooms = ConcurrentHashMap.newKeySet();

	/** Over its user's connection quota: its frames are ignored until it is closed. */
	volatile boolean refused;

	private final String id;

	/**
	 * The frames this connection may send: Bucket4j's local, lock-free bucket. Local on
	 * purpose: a connection lives on one node, and a Redisson {@code RRateLimiter} would
	 * put a Redis script on every incoming frame; the limits that span nodes (a user's
	 * connections, chat sends, gifts) are Redisson's.
	 */
	private final Bucket frames;

	Connection(String id, long userId, String device, int framesPerSecond, int burst) {
		this.id = id;
		this.userId = userId;
		this.namedDevice = device != null;
		this.device = device != null ? device : "c-" + id + "-" + Integer.toHexString(System.identityHashCode(this));
		this.frames = Bucket.builder()
			.addLimit(limit -> limit.capacity(framesPerSecond + burst)
				.refillGreedy(framesPerSecond, Duration.ofSeconds(1)))
			.build();
	}

	/** Unique on this node. */
	@Override
	public String id() {
		return this.id;
	}

	@Override
	public long userId() {
		return this.userId;
	}

	@Override
	public String device() {
		return this.device;
	}

	@Override
	public boolean namedDevice() {
		return this.namedDevice;
	}

	@Override
	public void send(String frame) {
		send(OutboundFrame.of(frame));
	}

	/** Presence member of this connection: unique across nodes. */
	String member(String node) {
		return node + "/" + this.id;
	}

	/** Takes a token for one incoming frame; false when the connection sends too fast. */
	boolean admit() {
		return this.frames.tryConsume(1);
	}

	@Override
	public abstract boolean roomToSend();

	/** The lane a room's frames reach this connection through. */
	abstract Lane lane();

	/**
	 * Queues a frame from any thread; false when the viewer is (now) dropped for being
	 * too far behind.
	 */
	abstract boolean send(OutboundFrame frame);

	/**
	 * Drops the viewer when one write has been waiting on its socket longer than
	 * {@code limitNanos}.
	 */
	abstract void dropIfStuck(long nowNanos, long limitNanos);

	/**
	 * Closes the connection (policy violation) a moment after the frames queued now, so
	 * an error frame is read first.
	 */
	abstract void refuse();

}
