package dev.feedplatform.counterserver;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import dev.feedplatform.runtime.messaging.EventJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.runtime.messaging.RocketMq;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The first merge: increments from every request on this instance land in the current
 * window (one {@link AtomicLongArray} per post, so a hot post costs an atomic add, not a
 * Redis write); a group commit: the first increment of a window wakes the flusher, which
 * lingers {@link CounterSettings#window()} for more, swaps the window out, sends it to
 * RocketMQ as one {@link DeltaBatch}, and answers everyone who added to it; increments
 * arriving during the send gather in the next window. So an increment waits about one
 * linger plus one send, under load as when idle, and an idle instance doesn't wake up at
 * all (issue 19: a fixed 20 ms cycle capped 64 clients at 64 / 21 ms ≈ 3,000 views/s). An
 * increment is acknowledged only once the broker holds its batch, so an acknowledged
 * increment survives this process dying; a failed send fails the window's callers (503),
 * so nothing unacknowledged is reported as counted.
 */
@Component
public class WriteMerger implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(WriteMerger.class);

	/** Posts per message: keeps each message far below the broker's 4 MiB limit. */
	static final int POSTS_PER_MESSAGE = 20_000;

	private static final class Window {

		final ConcurrentHashMap<Long, AtomicLongArray> counts = new ConcurrentHashMap<>();

		final CompletableFuture<Void> durable = new CompletableFuture<>();

		/** Set by the first add: that add wakes the flusher. */
		final AtomicBoolean started = new AtomicBoolean();

	}

	private final RocketMq rocketMq;

	private final Clock clock;

	private final CounterSettings settings;

	/** Adders share the read side; only the swap takes the write side, for an instant. */
	private final ReentrantReadWriteLock swap = new ReentrantReadWriteLock();

	private volatile Window current = new Window();

	private final Thread flusher;

	private volatile boolean running = true;

	private final Counter absorbed;

	private final Counter messages;

	WriteMerger(RocketMq rocketMq, Clock clock, CounterSettings settings, MeterRegistry meters) {
		this.rocketMq = rocketMq;
		this.clock = clock;
		this.settings = settings;
		this.absorbed = Counter.builder("feed.counters.absorbed")
			.description("increments merged in process")
			.register(meters);
		this.messages = Counter.builder("feed.counters.batches.sent")
			.description("delta batches sent to the broker")
			.register(meters);
		this.flusher = Thread.ofPlatform().name("counter-flusher").daemon().start(this::flushLoop);
	}

	/**
	 * Adds {@code delta} to one count; the future completes once the increment is durable
	 * on the broker.
	 */
	public CompletableFuture<Void> add(long postId, CounterField field, long delta) {
		this.swap.readLock().lock();
		try {
			Window window = this.current;
			window.counts.computeIfAbsent(postId, id -> new AtomicLongArray(CounterField.ALL.length))
				.addAndGet(field.ordinal(), delta);
			this.absorbed.increment();
			if (!window.started.get() && window.started.compareAndSet(false, true)) {
				java.util.concurrent.locks.LockSupport.unpark(this.flusher);
			}
			return window.durable;
		}
		finally {
			this.swap.readLock().unlock();
		}
	}

	/** Blocks until the increment is durable; 503 when the broker can't take it. */
	public void addAndWait(long postId, CounterField field, long delta) {
		try {
			add(postId, field, delta).join();
		}
		catch (java.util.concurrent.CompletionException ex) {
			throw ex.getCause() instanceof RuntimeException runtime ? runtime : ex;
		}
	}

	private void flushLoop() {
		while (this.running) {
			try {
				if (!this.current.started.get()) {
					// Parked until an add wakes it; the timeout only bounds a missed
					// wake-up.
					java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L);
					continue;
				}
				Thread.sleep(this.settings.window().toMillis());
				flush();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				log.warn("counter flush failed: {}", ex.toString());
			}
		}
	}

	/** Swaps the window out and makes it durable; visible for tests and shutdown. */
	void flush() {
		Window full;
		this.swap.writeLock().lock();
		try {
			full = this.current;
			if (full.counts.isEmpty()) {
				return;
			}
			this.current = new Window();
		}
		finally {
			this.swap.writeLock().unlock();
		}
		try {
			List<Map.Entry<String, String>> batches = batches(full.counts, this.clock.millis(), POSTS_PER_MESSAGE)
				.stream()
				.map(batch -> Map.entry(batch.id(), EventJson.encode(batch)))
				.toList();
			this.rocketMq.sendAll(DeltaBatch.TOPIC, batches);
			this.messages.increment(batches.size());
			full.durable.complete(null);
		}
		catch (RuntimeException ex) {
			full.durable.completeExceptionally(ex);
		}
	}

	/**
	 * A window's increments as batches of at most {@code postsPerMessage} posts each, one
	 * line per post with its merged delta; posts whose increments cancelled out are left
	 * out. Pure, so {@code WriteMergerTests} checks the merge without a broker.
	 */
	static List<DeltaBatch> batches(Map<Long, AtomicLongArray> counts, long createdAtMs, int postsPerMessage) {
		List<DeltaBatch> out = new ArrayList<>();
		List<DeltaBatch.PostDelta> deltas = new ArrayList<>();
		for (Map.Entry<Long, AtomicLongArray> entry : counts.entrySet()) {
			long[] sums = new long[CounterField.ALL.length];
			boolean any = false;
			for (int i = 0; i < sums.length; i++) {
				sums[i] = entry.getValue().get(i);
				any |= sums[i] != 0;
			}
			if (any) {
				deltas.add(new DeltaBatch.PostDelta(entry.getKey(), sums));
			}
			if (deltas.size() == postsPerMessage) {
				out.add(new DeltaBatch(UUID.randomUUID().toString(), createdAtMs, deltas));
				deltas = new ArrayList<>();
			}
		}
		if (!deltas.isEmpty()) {
			out.add(new DeltaBatch(UUID.randomUUID().toString(), createdAtMs, deltas));
		}
		return out;
	}

	/** Flushes what is pending before the broker client goes away. */
	@Override
	public void destroy() {
		this.running = false;
		this.flusher.interrupt();
		flush();
	}

}
