package dev.feedplatform.liveroombridge.im;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One device's ordered stream of one conversation, on one connection. Everything this
 * connection sends for the conversation goes through here, in strictly increasing seq (a
 * retry repeats only what is not yet acknowledged, in order), so a device never gets seq
 * n+1 before n, however messages reach this node: out of order, twice, or not at all. A
 * message that arrives ahead of the stream is not sent; the gap is read from MariaDB
 * first (OpenIM #320 pushed 3 before 1 and 2, then never pushed those).
 *
 * <pre>
 *   acked          next-1         known
 *     |  in flight  |   not sent yet |
 * </pre> At most {@code window} messages are in flight; acknowledgements (cumulative, or
 * by message id) let the rest follow, and nothing is sent while the connection's way out
 * is over half full (a device catching up on many conversations is paced by its socket
 * instead of being dropped for falling behind). A {@code sync} repositions the stream to
 * where the client says it is and sends a page from there; it never re-sends what this
 * connection already sent, so a message that arrives while a device syncs is neither
 * skipped nor doubled (gim #46). A {@code sync} from below where this connection's stream
 * started is answered from history, as asked.
 */
final class DeviceStream {

	/**
	 * Reads a conversation's messages with {@code after < seq <= upTo}, oldest first, at
	 * most {@code limit}.
	 */
	interface History {

		List<StoredMessage> read(String conversation, long after, long upTo, int limit);

	}

	/** Most messages one read of the history fetches. */
	static final int PAGE = 64;

	private final ReentrantLock lock = new ReentrantLock();

	private final String conversation;

	private final ImLinkFrames out;

	private final int window;

	private final long retryInitialNanos;

	private final long retryMaxNanos;

	/**
	 * Where this connection's stream started: what lies at or below it was never sent
	 * here.
	 */
	private final long floor;

	/** Everything up to here is acknowledged by the device. */
	private long acked;

	/** The next seq to send. */
	private long next;

	/** The highest seq known to exist. */
	private long known;

	/** Sent, not acknowledged, in seq order. */
	private final ArrayDeque<StoredMessage> inFlight = new ArrayDeque<>();

	/** Seqs acknowledged one by one (by message id) ahead of {@link #acked}. */
	private final Set<Long> ackedAhead = new HashSet<>();

	private long sentAtNanos;

	private long backoffNanos;

	/** The acknowledged position moved since it was last saved. */
	private boolean dirty;

	/** How the stream writes frames: the connection and the frame renderer. */
	interface ImLinkFrames {

		void chat(StoredMessage message);

		/**
		 * Whether the connection has room for more now (see {@link ImLink#roomToSend()}).
		 */
		default boolean room() {
			return true;
		}

	}

	DeviceStream(String conversation, long base, long known, ImLinkFrames out, int window, long retryInitialNanos,
			long retryMaxNanos) {
		this.conversation = conversation;
		this.out = out;
		this.window = window;
		this.retryInitialNanos = retryInitialNanos;
		this.retryMaxNanos = retryMaxNanos;
		this.floor = base;
		this.acked = base;
		this.next = base + 1;
		this.known = Math.max(known, base);
		this.backoffNanos = retryInitialNanos;
	}

	String conversation() {
		return this.conversation;
	}

	/**
	 * A stored message reached this node: sent now if it is next, after the gap is read
	 * if it is ahead, dropped if already sent.
	 */
	void offer(StoredMessage message, History history) {
		this.lock.lock();
		try {
			this.known = Math.max(this.known, message.seq());
			if (message.seq() == this.next && inFlight() < this.window && this.out.room()) {
				send(message);
			}
			else if (message.seq() > this.next) {
				pump(history);
			}
			// Else it waits (window full, or the socket behind): acks and the retry sweep
			// pump it.
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Learns that the conversation has messages up to {@code maxSeq} (from the database)
	 * and sends what it can.
	 */
	void learn(long maxSeq, History history) {
		this.lock.lock();
		try {
			this.known = Math.max(this.known, maxSeq);
			pump(history);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * A message this very device sent (it has it, and its {@code sent}): when it is next,
	 * the stream moves past it without a frame; otherwise (earlier messages still to
	 * come) it is sent like any other, so the device's stream stays gap-free either way.
	 */
	void offerOwn(StoredMessage message, History history) {
		this.lock.lock();
		try {
			this.known = Math.max(this.known, message.seq());
			if (message.seq() != this.next) {
				if (message.seq() > this.next) {
					pump(history);
				}
				return;
			}
			if (this.acked == this.next - 1) {
				this.acked = message.seq();
				this.dirty = true;
			}
			else {
				this.inFlight.add(message);
				this.ackedAhead.add(message.seq());
			}
			this.next = message.seq() + 1;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Sends what is known and not sent, as far as the window allows. */
	void pump(History history) {
		this.lock.lock();
		try {
			while (this.next <= this.known && inFlight() < this.window && this.out.room()) {
				int room = (int) Math.min(Math.min(this.window - inFlight(), this.known - this.next + 1), PAGE);
				List<StoredMessage> page = history.read(this.conversation, this.next - 1, this.known, room);
				if (page.isEmpty()) {
					return;
				}
				for (StoredMessage message : page) {
					if (message.seq() != this.next || !this.out.room()) {
						return; // not dense (cannot happen: seqs are allocated with their
								// rows), or the socket is behind
					}
					send(message);
				}
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * A {@code sync}: the device has everything up to {@code after} (clamped to
	 * {@code maxSeq}); send the next page from there, skipping what this connection
	 * already sent. Answers {@code up_to_seq}.
	 */
	long sync(long after, long maxSeq, int size, History history) {
		this.lock.lock();
		try {
			if (after < this.floor) {
				// Older than anything this connection streams: history the client asks
				// for, sent as asked.
				long upTo = Math.min(this.floor, after + size);
				long last = after;
				for (StoredMessage message : history.read(this.conversation, after, upTo, size)) {
					this.out.chat(message);
					last = message.seq();
				}
				return last;
			}
			long has = Math.min(after, maxSeq);
			if (has >= this.next) {
				// The client is ahead of this stream: nothing up to `has` needs sending
				// or retrying.
				this.next = has + 1;
				acknowledge(has);
			}
			this.known = Math.max(this.known, maxSeq);
			long upTo = Math.min(maxSeq, this.next - 1 + size);
			if (upTo >= this.next) {
				for (StoredMessage message : history.read(this.conversation, this.next - 1, upTo, size)) {
					if (message.seq() != this.next) {
						break;
					}
					send(message);
				}
			}
			return this.next - 1;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Cumulative acknowledgement of everything up to {@code seq}. */
	void ack(long seq, History history) {
		this.lock.lock();
		try {
			acknowledge(Math.min(seq, this.next - 1));
			pump(history);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Acknowledgement of one message; true when it was in flight here. */
	boolean ackMessage(long msgId, History history) {
		this.lock.lock();
		try {
			StoredMessage hit = null;
			for (StoredMessage message : this.inFlight) {
				if (message.msgId() == msgId) {
					hit = message;
					break;
				}
			}
			if (hit == null) {
				return false;
			}
			this.ackedAhead.add(hit.seq());
			long upTo = this.acked;
			while (this.ackedAhead.remove(upTo + 1)) {
				upTo++;
			}
			acknowledge(upTo);
			pump(history);
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Sends everything in flight again once it has waited its backoff; the backoff
	 * doubles up to its cap.
	 */
	void retry(long nowNanos) {
		if (!this.lock.tryLock()) {
			return; // busy sending: not stuck
		}
		try {
			if (this.inFlight.isEmpty() || nowNanos - this.sentAtNanos < this.backoffNanos) {
				return;
			}
			for (StoredMessage message : this.inFlight) {
				if (!this.out.room()) {
					break; // the rest goes with the next retry
				}
				if (!this.ackedAhead.contains(message.seq())) {
					this.out.chat(message);
				}
			}
			this.sentAtNanos = nowNanos;
			this.backoffNanos = Math.min(this.backoffNanos * 2, this.retryMaxNanos);
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Whether messages known to exist wait to be sent here (the window or the socket held
	 * them back).
	 */
	boolean pending() {
		return this.next <= this.known;
	}

	/** The acknowledged position if it moved since the last call, else -1. */
	long takeDirtyAck() {
		this.lock.lock();
		try {
			if (!this.dirty) {
				return -1;
			}
			this.dirty = false;
			return this.acked;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether anything is sent and not acknowledged (tests and metrics). */
	int inFlight() {
		return (int) (this.next - 1 - this.acked);
	}

	private void send(StoredMessage message) {
		if (this.inFlight.isEmpty()) {
			this.sentAtNanos = System.nanoTime();
			this.backoffNanos = this.retryInitialNanos;
		}
		this.inFlight.add(message);
		this.next = message.seq() + 1;
		this.out.chat(message);
	}

	private void acknowledge(long seq) {
		if (seq <= this.acked) {
			return;
		}
		long upTo = seq;
		// Messages acknowledged one by one (or this device's own) right after it count
		// too.
		while (this.ackedAhead.remove(upTo + 1)) {
			upTo++;
		}
		this.acked = upTo;
		this.dirty = true;
		while (!this.inFlight.isEmpty() && this.inFlight.peekFirst().seq() <= upTo) {
			this.inFlight.pollFirst();
		}
		long floor = upTo;
		this.ackedAhead.removeIf(s -> s <= floor);
		// Progress: the remaining messages get a fresh wait before they count as lost.
		this.sentAtNanos = System.nanoTime();
		this.backoffNanos = this.retryInitialNanos;
	}

}
