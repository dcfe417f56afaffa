package dev.feedplatform.detailaggregator.page;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.feedplatform.common.error.Problem;

/**
 * Runs the parts of one page in parallel (virtual threads), each with its own deadline. A
 * <em>critical</em> part that fails or runs out of time fails the whole page at once:
 * every other part is cancelled with an interrupt, so no thread keeps working for an
 * answer nobody will read. An <em>optional</em> part that fails or runs late is dropped
 * from the page (without an interrupt) and named in {@link #degraded()}.
 */
final class Fanout {

	private final ExecutorService executor;

	private final List<Part<?>> parts = new ArrayList<>();

	private final List<String> degraded = new ArrayList<>();

	/**
	 * Indices of parts that finished, in order: await() sleeps on it instead of spinning.
	 */
	private final BlockingQueue<Integer> finished = new LinkedBlockingQueue<>();

	Fanout(ExecutorService executor) {
		this.executor = executor;
	}

	/** One part's outcome once {@link #await()} returned. */
	static final class Part<T> {

		final String name;

		final boolean critical;

		final long deadlineNanos;

		final Future<T> future;

		private T value;

		private boolean ok;

		Part(String name, boolean critical, long deadlineNanos, Future<T> future) {
			this.name = name;
			this.critical = critical;
			this.deadlineNanos = deadlineNanos;
			this.future = future;
		}

		/** The value; empty when an optional part failed. */
		Optional<T> value() {
			return this.ok ? Optional.ofNullable(this.value) : Optional.empty();
		}

	}

	<T> Part<T> critical(String name, Duration timeout, Callable<T> call) {
		return add(name, true, timeout, call);
	}

	<T> Part<T> optional(String name, Duration timeout, Callable<T> call) {
		return add(name, false, timeout, call);
	}

	private <T> Part<T> add(String name, boolean critical, Duration timeout, Callable<T> call) {
		int index = this.parts.size();
		// done() runs once the outcome is set: a signal from inside the call (a finally
		// block) came
		// before the future was done, so await() saw it not done and slept to the next
		// deadline
		// (caught by FanoutTests as a 10 s wait for a failure after 50 ms).
		FutureTask<T> future = new FutureTask<>(call) {
			@Override
			protected void done() {
				// wakes await() at once, success or failure
				Fanout.this.finished.add(index);
			}
		};
		this.executor.execute(future);
		Part<T> part = new Part<>(name, critical, System.nanoTime() + timeout.toNanos(), future);
		this.parts.add(part);
		return part;
	}

	/**
	 * Waits for every part. Polls all of them rather than one after another, so a
	 * critical failure is seen as soon as it happens, whichever part it is.
	 */
	void await() {
		List<Part<?>> pending = new ArrayList<>(this.parts);
		while (!pending.isEmpty()) {
			long now = System.nanoTime();
			for (Part<?> part : List.copyOf(pending)) {
				if (part.future.isDone() || now >= part.deadlineNanos) {
					settle(part);
					pending.remove(part);
				}
			}
			if (!pending.isEmpty()) {
				long nearest = pending.stream().mapToLong(p -> p.deadlineNanos).min().orElse(now);
				waitForAny(Math.max(0, nearest - System.nanoTime()));
			}
		}
	}

	List<String> degraded() {
		return List.copyOf(this.degraded);
	}

	private <T> void settle(Part<T> part) {
		try {
			part.value = part.future.get(0, TimeUnit.NANOSECONDS);
			part.ok = true;
		}
		catch (ExecutionException | TimeoutException | CancellationException ex) {
			Throwable cause = ex instanceof ExecutionException ? ex.getCause() : ex;
			if (part.critical) {
				cancelAll();
				if (cause instanceof Problem problem) {
					throw problem;
				}
				throw Problem.unavailable(part.name + " is unavailable; try again");
			}
			// A late optional part is left to finish and its answer ignored: interrupting
			// a virtual
			// thread blocked on a socket closes the socket, and a JDBC connection lost
			// per slow read
			// turns a slow moment into a pool-wide outage. Only a failed page interrupts
			// its parts.
			part.future.cancel(false);
			this.degraded.add(part.name);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			cancelAll();
			throw Problem.unavailable("interrupted");
		}
	}

	private void cancelAll() {
		this.parts.forEach(p -> p.future.cancel(true));
	}

	private void waitForAny(long nanos) {
		try {
			this.finished.poll(nanos, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw Problem.unavailable("interrupted");
		}
	}

}
