package dev.feedplatform.liveroombridge.im;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One connection's IM state on this node: its device, its ordered stream per conversation
 * ({@link DeviceStream}), and when it last showed a sign of life.
 */
final class ImSession {

	private final ImLink link;

	private final Map<String, DeviceStream> streams = new ConcurrentHashMap<>();

	private volatile long lastActive = System.currentTimeMillis();

	private volatile boolean closed;

	/**
	 * Per conversation, where a stream made later starts: everything after it was routed
	 * to this connection, since the snapshot was read after the connection joined the
	 * routing table. Null until the connection resumed; messages offered before that are
	 * held, then offered in order.
	 */
	private Map<String, Long> startFrom;

	private final List<StoredMessage> held = new ArrayList<>();

	/**
	 * Work for this connection (deliveries), run in order on a virtual thread of its own.
	 */
	private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> work = new java.util.concurrent.ConcurrentLinkedQueue<>();

	private final java.util.concurrent.atomic.AtomicBoolean working = new java.util.concurrent.atomic.AtomicBoolean();

	ImSession(ImLink link) {
		this.link = link;
	}

	ImLink link() {
		return this.link;
	}

	long userId() {
		return this.link.userId();
	}

	String device() {
		return this.link.device();
	}

	/**
	 * The conversation's stream, created from {@code create} (which may read the
	 * database) when this connection has none; null when {@code create} finds nothing to
	 * stream.
	 */
	DeviceStream stream(String conversation, Supplier<DeviceStream> create) {
		DeviceStream stream = this.streams.get(conversation);
		if (stream != null) {
			return stream;
		}
		DeviceStream made = create.get();
		if (made == null) {
			return null;
		}
		DeviceStream raced = this.streams.putIfAbsent(conversation, made);
		return raced != null ? raced : made;
	}

	DeviceStream existing(String conversation) {
		return this.streams.get(conversation);
	}

	Collection<DeviceStream> streams() {
		return this.streams.values();
	}

	/**
	 * Holds a message while the connection is still resuming; false when it can be
	 * offered now.
	 */
	synchronized boolean holdIfResuming(StoredMessage message) {
		if (this.startFrom != null) {
			return false;
		}
		this.held.add(message);
		return true;
	}

	/**
	 * The connection resumed: from now on streams start from {@code startFrom}; answers
	 * what was held.
	 */
	synchronized List<StoredMessage> resumed(Map<String, Long> startFrom) {
		this.startFrom = startFrom;
		List<StoredMessage> waiting = List.copyOf(this.held);
		this.held.clear();
		return waiting;
	}

	/**
	 * Where a new stream of the conversation starts, when the resume snapshot knew it.
	 */
	synchronized Long startFrom(String conversation) {
		return this.startFrom == null ? null : this.startFrom.get(conversation);
	}

	/**
	 * Runs {@code task} after the connection's earlier tasks, on a virtual thread: the
	 * node's delivery consumer only hands work out, so one device waiting on the database
	 * (a new stream's position, a gap read) never holds back the others.
	 */
	void run(Runnable task) {
		this.work.add(task);
		if (this.working.compareAndSet(false, true)) {
			Thread.startVirtualThread(this::drain);
		}
	}

	private void drain() {
		do {
			Runnable next;
			while ((next = this.work.poll()) != null) {
				next.run();
			}
			this.working.set(false);
		}
		while (!this.work.isEmpty() && this.working.compareAndSet(false, true));
	}

	void touch() {
		this.lastActive = System.currentTimeMillis();
	}

	long lastActive() {
		return this.lastActive;
	}

	boolean closed() {
		return this.closed;
	}

	void close() {
		this.closed = true;
	}

}
