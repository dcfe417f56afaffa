package dev.feedplatform.common.id;

import java.util.function.LongSupplier;

/**
 * Time-ordered 53-bit ids: unique across app instances, increasing with time, and exactly
 * representable as a Redis sorted-set score (a double holds integers up to 2^53 exactly),
 * so inboxes and outboxes can be ranged by score without losing order.
 *
 * <p>
 * Layout, high to low: 41 bits of milliseconds since {@link #EPOCH_MS} (good until 2095),
 * {@value #WORKER_BITS} bits of worker id (leased per instance, see the runtime's worker
 * lease) and {@value #SEQUENCE_BITS} bits of per-millisecond sequence. Two instances
 * minting in the same millisecond differ in the worker bits; within a worker the sequence
 * orders them.
 *
 * <p>
 * The clock never moves an id backwards: if the wall clock steps back, ids keep counting
 * from the last issued millisecond. {@code floorMs} lets a new holder of a worker id
 * start after the last millisecond its previous holder used, so ids are never reused
 * across restarts.
 */
public final class IdGenerator {

	/** 2026-01-01T00:00:00Z. */
	public static final long EPOCH_MS = 1_767_225_600_000L;

	static final int WORKER_BITS = 6;

	static final int SEQUENCE_BITS = 6;

	/**
	 * 64 workers: enough for "several app instances" of each module, leased so none is
	 * shared.
	 */
	public static final int MAX_WORKERS = 1 << WORKER_BITS;

	private static final long MAX_SEQUENCE = (1L << SEQUENCE_BITS) - 1;

	private static final long MAX_ID = (1L << 53) - 1;

	private final int workerId;

	private final LongSupplier clock;

	private long lastMs;

	private long sequence;

	public IdGenerator(int workerId, long floorMs, LongSupplier clock) {
		if (workerId < 0 || workerId >= MAX_WORKERS) {
			throw new IllegalArgumentException("worker id out of range: " + workerId);
		}
		this.workerId = workerId;
		this.clock = clock;
		this.lastMs = Math.max(floorMs - EPOCH_MS, 0);
		this.sequence = MAX_SEQUENCE; // the floor millisecond itself counts as used
	}

	public IdGenerator(int workerId) {
		this(workerId, 0, System::currentTimeMillis);
	}

	public synchronized long next() {
		long now = this.clock.getAsLong() - EPOCH_MS;
		if (now > this.lastMs) {
			this.lastMs = now;
			this.sequence = 0;
		}
		else if (this.sequence < MAX_SEQUENCE) {
			this.sequence++;
		}
		else {
			// Sequence exhausted in this millisecond (or the clock stepped back): borrow
			// the next one.
			this.lastMs++;
			this.sequence = 0;
		}
		long id = (this.lastMs << (WORKER_BITS + SEQUENCE_BITS)) | ((long) this.workerId << SEQUENCE_BITS)
				| this.sequence;
		if (id > MAX_ID) {
			throw new IllegalStateException("id space exhausted");
		}
		return id;
	}

	/**
	 * The last epoch millisecond this generator has used; persisted with the worker
	 * lease.
	 */
	public synchronized long lastUsedEpochMs() {
		return this.lastMs + EPOCH_MS;
	}

	/**
	 * The smallest id that could have been minted at {@code epochMs}: used to turn times
	 * into cursors.
	 */
	public static long smallestIdAt(long epochMs) {
		return Math.max(epochMs - EPOCH_MS, 0) << (WORKER_BITS + SEQUENCE_BITS);
	}

	/** The creation time encoded in an id. */
	public static long epochMsOf(long id) {
		return (id >>> (WORKER_BITS + SEQUENCE_BITS)) + EPOCH_MS;
	}

}
