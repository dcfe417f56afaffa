package dev.feedplatform.liveroombridge.gateway;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One viewer's WebSocket connection, whatever serves it (Tomcat on the application port, or the
 * gateway's own Netty server): the rooms it joined, a token bucket for the frames it may send, and
 * a bounded way out. A viewer too far behind is dropped (closed) instead of slowing its room.
 */
abstract class Connection {

	final long userId;

	final Set<Long> rooms = ConcurrentHashMap.newKeySet();

	private final String id;

	private final double ratePerNano;

	private final double burst;

	private double tokens;

	private long refilledAt = System.nanoTime();

	Connection(String id, long userId, int framesPerSecond, int burst) {
		this.id = id;
		this.userId = userId;
		this.ratePerNano = framesPerSecond / 1e9;
		this.burst = framesPerSecond + burst;
		this.tokens = this.burst;
	}

	/** Unique on this node. */
	String id() {
		return this.id;
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

	/** The lane a room's frames reach this connection through. */
	abstract Lane lane();

	/** Queues a frame from any thread; false when the viewer is (now) dropped for being too far behind. */
	abstract boolean send(OutboundFrame frame);

	/** Drops the viewer when one write has been waiting on its socket longer than {@code limitNanos}. */
	abstract void dropIfStuck(long nowNanos, long limitNanos);

}
