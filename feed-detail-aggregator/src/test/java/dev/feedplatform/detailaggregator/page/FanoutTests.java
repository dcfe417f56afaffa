package dev.feedplatform.detailaggregator.page;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.feedplatform.common.error.Problem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The page's parallel parts: fast failure that really stops the siblings, and
 * degradation.
 */
class FanoutTests {

	final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	@AfterEach
	void close() {
		this.executor.shutdownNow();
	}

	/**
	 * A part that would run for 10 s unless interrupted; counts down when it was stopped.
	 */
	static java.util.concurrent.Callable<String> slowPart(CountDownLatch stopped) {
		return () -> {
			try {
				Thread.sleep(10_000);
				return "finished";
			}
			catch (InterruptedException ex) {
				stopped.countDown();
				throw ex;
			}
		};
	}

	@Test
	void aFailingCriticalPartCancelsItsSiblingsAtOnce() throws Exception {
		CountDownLatch stopped = new CountDownLatch(2);
		Fanout parts = new Fanout(this.executor);
		parts.optional("counts", Duration.ofSeconds(30), slowPart(stopped));
		parts.optional("comments", Duration.ofSeconds(30), slowPart(stopped));
		parts.critical("author", Duration.ofSeconds(30), () -> {
			Thread.sleep(50);
			throw Problem.notFound("no author");
		});
		long start = System.nanoTime();
		assertThatThrownBy(parts::await).isInstanceOf(Problem.class).hasMessageContaining("no author");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		// Not just an early answer: both siblings were interrupted and stopped working.
		assertThat(stopped.await(2, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void aCriticalPartPastItsDeadlineFailsThePageAndStopsTheOthers() throws Exception {
		CountDownLatch stopped = new CountDownLatch(2);
		Fanout parts = new Fanout(this.executor);
		parts.critical("author", Duration.ofMillis(100), slowPart(stopped));
		parts.optional("counts", Duration.ofSeconds(30), slowPart(stopped));
		assertThatThrownBy(parts::await).isInstanceOf(Problem.class).hasMessageContaining("author");
		assertThat(stopped.await(2, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void optionalPartsThatFailOrRunLateDegradeThePageAndSayWhich() throws Exception {
		Fanout parts = new Fanout(this.executor);
		Fanout.Part<String> author = parts.critical("author", Duration.ofSeconds(5), () -> "alice");
		Fanout.Part<String> counts = parts.optional("counts", Duration.ofMillis(100), () -> {
			Thread.sleep(1_000);
			return "late";
		});
		Fanout.Part<String> liked = parts.optional("liked_by_me", Duration.ofSeconds(5), () -> {
			throw new IllegalStateException("down");
		});
		long start = System.nanoTime();
		parts.await();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		assertThat(author.value()).contains("alice");
		assertThat(counts.value()).isEmpty();
		assertThat(liked.value()).isEmpty();
		assertThat(parts.degraded()).containsExactlyInAnyOrder("counts", "liked_by_me");
	}

}
