package dev.feedplatform.liveroombridge.gateway;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.web.socket.WebSocketSession;

/**
 * One viewer's connection: its bounded sending session, the rooms it joined, and a token bucket
 * for the frames it may send (sustained rate plus a burst).
 */
final class Connection {

	final WebSocketSession session;

	final long userId;

	final Set<Long> rooms = ConcurrentHashMap.newKeySet();

	private final double ratePerNano;

	private final double burst;

	private double tokens;

	private long refilledAt = System.nanoTime();

	Connection(WebSocketSession session, long userId, int framesPerSecond, int burst) {
		this.session = session;
		this.userId = userId;
		this.ratePerNano = framesPerSecond / 1e9;
		this.burst = framesPerSecond + burst;
		this.tokens = this.burst;
	}

	/** Presence member of this connection: unique across nodes. */
	String member(String node) {
		return node + "/" + this.session.getId();
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

}
