package dev.feedplatform.liveroombridge.gateway;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.feedplatform.liveroombridge.im.ImLink;

/**
 * One viewer's WebSocket connection, whatever serves it (Tomcat on the application port, or the
 * gateway's own Netty server): its user and device (IM's {@link ImLink}), the rooms it joined, a token bucket for the frames it may send, and
 * a bounded way out. A viewer too far behind is dropped (closed) instead of slowing its room.
 */
abstract class Connection implements ImLink {

	final long userId;

	/** The handshake's {@code device}, or a generated id: then the connection is its own device. */
	private final String device;

	private final boolean namedDevice;

	final Set<Long> rooms = ConcurrentHashMap.newKeySet();

	/** Over its user's connection quota: its frames are ignored until it is closed. */
	volatile boolean refused;

	private final String id;

	private final double ratePerNano;

	private final double burst;

	private double tokens;

	private long refilledAt = System.nanoTime();

	Connection(String id, long userId, String device, int framesPerSecond, int burst) {
		this.id = id;
		this.userId = userId;
		this.namedDevice = device != null;
		this.device = device != null ? device : "c-" + id + "-" + Integer.toHexString(System.identityHashCode(this));
		this.ratePerNano = framesPerSecond / 1e9;
		this.burst = framesPerSecond + burst;
		this.tokens = this.burst;
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
	synchronized boolean admit() {
		long now = System.nanoTime();
		this.tokens = Math.min(this.burst, this.tokens + (now - this.refilledAt) * this.ratePerNano);
		this.refilledAt = now;
		if (this.tokens < 1) {
			return false;
		}
		this.tokens -= 1;
		return true;
	}

	@Override
	public abstract boolean roomToSend();

	/** The lane a room's frames reach this connection through. */
	abstract Lane lane();

	/** Queues a frame from any thread; false when the viewer is (now) dropped for being too far behind. */
	abstract boolean send(OutboundFrame frame);

	/** Drops the viewer when one write has been waiting on its socket longer than {@code limitNanos}. */
	abstract void dropIfStuck(long nowNanos, long limitNanos);

	/** Closes the connection (policy violation) a moment after the frames queued now, so an error frame is read first. */
	abstract void refuse();

}
