package dev.feedplatform.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import dev.feedplatform.runtime.messaging.RocketMq;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A barrage router killed with SIGKILL: its orderly queues must reach the surviving
 * instance within seconds. The broker used to keep a dead consumer's queue locks for 60 s
 * (and the survivor looked again only every 20 s), stalling the rooms on those queues for
 * over a minute. The group is new for every run, so no lock of an earlier run's instances
 * is in the way.
 */
@SpringBootTest(classes = FeedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class BarrageRouterCrashIntegrationTests {

	static final String GROUP = "feed-barrage-router-crash-" + UUID.randomUUID().toString().substring(0, 8);

	/** The barrage topic's queues: 8 per broker (two brokers on the cluster stage). */
	int queues;

	@DynamicPropertySource
	static void group(DynamicPropertyRegistry registry) {
		registry.add("feed.barrage.router-group", () -> GROUP);
	}

	@Autowired
	RocketMq rocketMq;

	Process other;

	@AfterEach
	void stopOther() {
		if (this.other != null) {
			this.other.destroyForcibly();
		}
	}

	@Test
	void theQueuesOfAKilledRouterReachTheSurvivorWithinSeconds() throws Exception {
		this.queues = this.rocketMq.queuesOf("feed-barrage");
		await().atMost(Duration.ofSeconds(30)).until(() -> this.rocketMq.lockedQueues(GROUP) == this.queues);
		Path log = Files.createTempFile("barrage-router", ".log");
		this.other = AppProcess.start(log, "--feed.barrage.router-group=" + GROUP,
				"--feed.fanout.workers-enabled=false");
		// The second router joins: the queues are split, this instance keeps only its
		// share.
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.rocketMq.lockedQueues(GROUP) <= this.queues / 2);
		assertThat(this.rocketMq.lockedQueues(GROUP)).isPositive();
		Thread.sleep(2_000); // the other instance locks its share
		this.other.destroyForcibly(); // SIGKILL: no unlock, no unregister
		this.other.waitFor();
		long killed = System.nanoTime();
		await().atMost(Duration.ofSeconds(40))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.rocketMq.lockedQueues(GROUP) == this.queues);
		long seconds = (System.nanoTime() - killed) / 1_000_000_000L;
		// Lock lapse (15 s after the last renewal, at most 5 s before the kill) plus one
		// rebalance interval (5 s).
		assertThat(seconds).as("seconds until the survivor consumes every queue").isLessThanOrEqualTo(25);
	}

}
