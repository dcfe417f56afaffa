package dev.feedplatform.liveroombridge.gateway;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import java.nio.ByteBuffer;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;

import org.apache.tomcat.websocket.PreEncodedText;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * A viewer on Tomcat's WebSocket container ({@code /ws} on the application port). Frames
 * are queued and written one at a time with the container's non-blocking send, the next
 * one started from the previous one's completion: no thread waits on a viewer's socket,
 * so a full socket never blocks the node's flusher or other viewers (and costs no thread
 * at all, which matters at 10,000 viewers). Once more than {@code limitBytes} wait, or
 * one write is stuck past the send time limit, the viewer is dropped (closed). Without
 * the container's session (tests with a plain session) a virtual thread writes.
 */
final class ServletConnection extends Connection {

	final WebSocketSession session;

	private final SerialQueue<OutboundFrame> outbox = new SerialQueue<>();

	private final AtomicLong queuedBytes = new AtomicLong();

	private final AtomicBoolean dropped = new AtomicBoolean();

	private final long limitBytes;

	private final Runnable onDrop;

	private final RemoteEndpoint.Async async;

	/**
	 * Whether frames go out pre-encoded through the Tomcat shim (Tomcat's own endpoint),
	 * else they are re-encoded per viewer; false from the shim's first link failure on.
	 */
	private volatile boolean preEncoded;

	private final SendHandler onSent = this::onSent;

	/**
	 * The thread inside {@link #pump()}'s send call, to tell an inline completion from a
	 * later one.
	 */
	private volatile Thread sending;

	private boolean completedInline;

	/**
	 * When the frame being written started, 0 when none is in flight (System.nanoTime()).
	 */
	private volatile long inFlightSince;

	ServletConnection(WebSocketSession session, RemoteEndpoint.Async async, long userId, String device,
			int framesPerSecond, int burst, long limitBytes, Runnable onDrop) {
		super(session.getId(), userId, device, framesPerSecond, burst);
		this.session = session;
		this.async = async;
		this.preEncoded = async != null && PreEncodedTextSupport.available() && PreEncodedText.supports(async);
		this.limitBytes = limitBytes;
		this.onDrop = onDrop;
	}

	@Override
	public boolean roomToSend() {
		return this.queuedBytes.get() < this.limitBytes / 2;
	}

	@Override
	Lane lane() {
		return Lane.CALLER;
	}

	@Override
	boolean send(OutboundFrame frame) {
		if (this.dropped.get()) {
			return false;
		}
		if (this.queuedBytes.addAndGet(frame.utf8().length) > this.limitBytes) {
			drop();
			return false;
		}
		if (this.outbox.add(frame)) {
			if (this.async != null) {
				pump();
			}
			else {
				Thread.startVirtualThread(this::write);
			}
		}
		return true;
	}

	/**
	 * Starts the next queued frame, or releases the writer role when none is left. A
	 * completion that arrives inline (the socket took the frame at once) continues this
	 * loop instead of recursing; one that arrives later, on the container's thread, calls
	 * in again.
	 */
	private void pump() {
		while (true) {
			OutboundFrame next = this.outbox.next();
			if (next == null) {
				return;
			}
			this.queuedBytes.addAndGet(-next.utf8().length);
			this.completedInline = false;
			this.inFlightSince = System.nanoTime() | 1; // never 0 while in flight
			this.sending = Thread.currentThread();
			try {
				if (this.preEncoded) {
					try {
						PreEncodedText.send(this.async, ByteBuffer.wrap(next.utf8()), this.onSent);
					}
					catch (LinkageError tomcatChanged) {
						// The shim reaches Tomcat internals the probe saw but the JVM
						// could not link
						// (a Tomcat unlike the one it was built against): standard sends
						// from now on.
						this.preEncoded = false;
						this.async.sendText(next.text(), this.onSent);
					}
				}
				else {
					this.async.sendText(next.text(), this.onSent);
				}
			}
			catch (RuntimeException ex) {
				this.sending = null;
				drop();
				return;
			}
			this.sending = null;
			if (!this.completedInline) {
				return; // onSent resumes when the socket has taken the frame
			}
		}
	}

	private void onSent(SendResult result) {
		this.inFlightSince = 0;
		if (!result.isOK()) {
			drop(); // timed out on a full socket, or closed
			return;
		}
		if (this.sending == Thread.currentThread()) {
			this.completedInline = true;
			return;
		}
		pump();
	}

	private void write() {
		OutboundFrame next;
		while ((next = this.outbox.next()) != null) {
			this.queuedBytes.addAndGet(-next.utf8().length);
			try {
				this.session.sendMessage(new TextMessage(next.text()));
			}
			catch (IOException | RuntimeException ex) {
				drop(); // stuck past the send timeout, or closed
				return;
			}
		}
	}

	@Override
	void dropIfStuck(long nowNanos, long limitNanos) {
		long since = this.inFlightSince;
		if (since != 0 && nowNanos - since > limitNanos) {
			drop();
		}
	}

	@Override
	void refuse() {
		Thread.startVirtualThread(() -> {
			try {
				Thread.sleep(NettyConnection.REFUSE_DELAY_MS);
				this.session.close(CloseStatus.POLICY_VIOLATION);
			}
			catch (IOException | RuntimeException | InterruptedException ex) {
				// already gone
			}
		});
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
