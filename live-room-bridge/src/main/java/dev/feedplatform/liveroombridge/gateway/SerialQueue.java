package dev.feedplatform.liveroombridge.gateway;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lock-free queue drained by one worker at a time, in order: whoever adds to a queue
 * nobody is draining becomes its worker, and the worker gives the role up only when it
 * finds the queue empty. Both ways of a connection use it: the frames a client sent (one
 * handler at a time, in order, on a virtual thread) and the frames waiting for a servlet
 * socket (one non-blocking write in flight at a time).
 *
 * <p>
 * The one subtle step is the release: an item added after the worker's last poll but
 * before it gave up the role would wait for the next add, so the worker looks again after
 * releasing and takes the role back if it can.
 *
 * @param <T> the queued item
 */
final class SerialQueue<T> {

	private final Queue<T> items = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean draining = new AtomicBoolean();

	/**
	 * Queues an item.
	 * @return true when the caller is now the worker and must drain (by calling
	 * {@link #next()} until it answers null)
	 */
	boolean add(T item) {
		this.items.add(item);
		return this.draining.compareAndSet(false, true);
	}

	/**
	 * For the worker: the next item, or null once the queue is empty and the worker role
	 * is given up (the caller must then stop draining). A worker that stops early (the
	 * connection was dropped) keeps the role, so no one drains again.
	 */
	T next() {
		while (true) {
			T next = this.items.poll();
			if (next != null) {
				return next;
			}
			this.draining.set(false);
			if (this.items.isEmpty() || !this.draining.compareAndSet(false, true)) {
				return null;
			}
		}
	}

	void clear() {
		this.items.clear();
	}

}
