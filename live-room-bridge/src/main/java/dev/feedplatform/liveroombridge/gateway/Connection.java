package dev.feedplatform.liveroombridge.gateway;

import java.io.IOException;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One viewer's connection: the rooms it joined, a token bucket for the frames it may send, and its
 * outbox. Frames for the viewer are queued and written by one virtual thread of its own, so a
 * viewer whose socket is full blocks only that thread, never the node's flusher or other viewers;
 * once more than {@code limitBytes} wait, or one write is stuck past the container's send timeout,
 * the viewer is dropped (closed) instead of slowing its room.
 */
final class Connection {

	final WebSocketSession session;

	final long userId;

	final Set<Long> rooms = ConcurrentHashMap.newKeySet();

	private final double ratePerNano;

	private final double burst;

	private double tokens;

	private long refilledAt = System.nanoTime();

	private final Queue<TextMessage> outbox = new ConcurrentLinkedQueue<>();

	private final AtomicLong queuedBytes = new AtomicLong();

	private final AtomicBoolean writing = new AtomicBoolean();

	private final AtomicBoolean dropped = new AtomicBoolean();

	private final long limitBytes;

	private final Runnable onDrop;

	Connection(WebSocketSession session, long userId, int framesPerSecond, int burst, long limitBytes, Runnable onDrop) {
		this.session = session;
		this.userId = userId;
		this.ratePerNano = framesPerSecond / 1e9;
		this.burst = framesPerSecond + burst;
		this.tokens = this.burst;
		this.limitBytes = limitBytes;
		this.onDrop = onDrop;
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

	/** Queues a frame; false when the viewer is (now) dropped for being too far behind. */
	boolean send(TextMessage message) {
		if (this.dropped.get()) {
			return false;
		}
		if (this.queuedBytes.addAndGet(message.getPayloadLength()) > this.limitBytes) {
			drop();
			return false;
		}
		this.outbox.add(message);
		if (this.writing.compareAndSet(false, true)) {
			Thread.startVirtualThread(this::write);
		}
		return true;
	}

	private void write() {
		while (true) {
			TextMessage next;
			while ((next = this.outbox.poll()) != null) {
				this.queuedBytes.addAndGet(-next.getPayloadLength());
				try {
					this.session.sendMessage(next);
				}
				catch (IOException | RuntimeException ex) {
					drop(); // stuck past the send timeout, or closed
					return;
				}
			}
			this.writing.set(false);
			// A frame queued between the last poll and the reset would otherwise wait for the next send.
			if (this.outbox.isEmpty() || !this.writing.compareAndSet(false, true)) {
				return;
			}
		}
	}

	private void drop() {
		if (this.dropped.compareAndSet(false, true)) {
			this.outbox.clear();
			this.onDrop.run();
			Thread.startVirtualThread(() -> {
				try {
					this.session.close(CloseStatus.SESSION_NOT_RELIABLE);
				}
				catch (IOException | RuntimeException ex) {
					// already gone
				}
			});
		}
	}

}
