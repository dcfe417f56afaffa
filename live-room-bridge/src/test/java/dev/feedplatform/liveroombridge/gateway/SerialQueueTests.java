package dev.feedplatform.liveroombridge.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drain rule both connection ways rely on: every item is taken exactly once, each
 * producer's items in its order, never by two workers at once, and none is left behind
 * when a worker gives up the role while another thread adds (the lost wake-up).
 */
class SerialQueueTests {

	@Test
	void theFirstAdderWorksUntilEmptyAndThenTheNextAdderWorks() {
		SerialQueue<String> queue = new SerialQueue<>();
		assertThat(queue.add("a")).isTrue();
		assertThat(queue.add("b")).isFalse();
		assertThat(queue.next()).isEqualTo("a");
		assertThat(queue.next()).isEqualTo("b");
		assertThat(queue.next()).isNull();
		assertThat(queue.add("c")).isTrue();
	}

	@Test
	void manyProducersRacingTheWorkersReleaseLoseNothingDoubleNothingAndNeverRunTwoWorkers()
			throws InterruptedException {
		int producers = 8;
		int perProducer = 50_000;
		SerialQueue<long[]> queue = new SerialQueue<>();
		ConcurrentLinkedQueue<long[]> taken = new ConcurrentLinkedQueue<>();
		AtomicInteger busy = new AtomicInteger();
		AtomicInteger overlaps = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int p = 0; p < producers; p++) {
			long producer = p;
			threads.add(Thread.ofPlatform().start(() -> {
				awaitQuietly(start);
				for (long i = 0; i < perProducer; i++) {
					if (queue.add(new long[] { producer, i })) {
						// Drain on this thread, as a connection's caller does: the worker
						// role moves between producers all the time.
						long[] next;
						while ((next = queue.next()) != null) {
							if (busy.incrementAndGet() > 1) {
								overlaps.incrementAndGet();
							}
							taken.add(next);
							busy.decrementAndGet();
						}
					}
				}
			}));
		}
		start.countDown();
		for (Thread thread : threads) {
			thread.join(TimeUnit.MINUTES.toMillis(1));
		}

		assertThat(overlaps.get()).as("two workers at once").isZero();
		assertThat(taken).as("every item taken once: none left behind by a release").hasSize(producers * perProducer);
		long[] lastSeen = new long[producers];
		java.util.Arrays.fill(lastSeen, -1);
		for (long[] item : taken) {
			int producer = (int) item[0];
			assertThat(item[1]).as("producer %d in order", producer).isEqualTo(lastSeen[producer] + 1);
			lastSeen[producer] = item[1];
		}
	}

	/**
	 * Two threads add one item each at the same moment, round after round; after each
	 * round both items must have been taken. Without the look after the release, the
	 * second item waits in the queue for a later add (checked per round, since the next
	 * round's worker would take it and hide the loss).
	 */
	@Test
	void anItemAddedWhileTheWorkerReleasesIsTakenInTheSameRound() throws Exception {
		int rounds = 20_000;
		SerialQueue<Integer> queue = new SerialQueue<>();
		AtomicInteger taken = new AtomicInteger();
		AtomicInteger roundsWithALeftover = new AtomicInteger();
		AtomicInteger round = new AtomicInteger();
		java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(2);
		java.util.concurrent.CyclicBarrier done = new java.util.concurrent.CyclicBarrier(2, () -> {
			if (taken.get() != 2 * round.incrementAndGet()) {
				roundsWithALeftover.incrementAndGet();
				taken.set(2 * round.get()); // count the round as settled, to see the next
				while (queue.next() != null) {
					// drop the leftover
				}
			}
		});
		Runnable side = () -> {
			try {
				for (int r = 0; r < rounds; r++) {
					go.await();
					if (queue.add(r)) {
						while (queue.next() != null) {
							taken.incrementAndGet();
						}
					}
					done.await();
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		};
		Thread one = Thread.ofPlatform().start(side);
		Thread two = Thread.ofPlatform().start(side);
		one.join(TimeUnit.MINUTES.toMillis(2));
		two.join(TimeUnit.MINUTES.toMillis(2));

		assertThat(round.get()).isEqualTo(rounds);
		assertThat(roundsWithALeftover.get()).as("rounds that left an item in the queue").isZero();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
