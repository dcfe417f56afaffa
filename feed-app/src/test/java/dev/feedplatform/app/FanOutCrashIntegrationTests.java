package dev.feedplatform.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.feedplatform.common.auth.TokenCodec;
import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.publish.fanout.FanOutWorkers;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fan-out worker killed with SIGKILL in the middle of delivering a post loses nothing.
 * This instance plans but doesn't deliver; a second app instance, a separate JVM, is the
 * only worker. Once it has written some inboxes but not all, it is killed; this instance
 * then joins the worker group, takes over its queues from the last committed offsets, and
 * every inbox ends up holding the post (batches the dead worker had finished are
 * delivered again, harmlessly).
 */
@SpringBootTest(classes = FeedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "feed.fanout.workers-enabled=false", "feed.fanout.batch-size=25",
				"feed.big-account-threshold=1000000" })
@DirtiesContext
class FanOutCrashIntegrationTests {

	private static final int FANS = 8_000;

	@Value("${local.server.port}")
	int port;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	LeasedIdGenerator ids;

	@Autowired
	TokenCodec tokens;

	@Autowired
	FanOutWorkers workers;

	private Process worker;

	@AfterEach
	void killWorker() {
		if (this.worker != null) {
			this.worker.destroyForcibly();
		}
	}

	@Test
	void aWorkerKilledMidBatchLosesNothing() throws Exception {
		long creator = this.ids.next();
		long[] fans = new long[FANS];
		for (int i = 0; i < FANS; i++) {
			fans[i] = this.ids.next();
		}
		seed(creator, fans);

		Path log = Files.createTempFile("fanout-worker", ".log");
		this.worker = AppProcess.start(log, "--feed.fanout.worker-threads=1", "--feed.big-account-threshold=1000000");
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> Files.readString(log).contains("Started FeedApplication"));

		Reply published = new Api(this.port).post("/api/posts", token(creator),
				"{\"type\":\"IMAGE\",\"title\":\"crash\",\"text\":\"t\",\"media\":[\"https://cdn.example.com/a.jpg\"],\"cover\":\"https://cdn.example.com/a.jpg\"}");
		assertThat(published.status()).isEqualTo(201);
		long post = Long.parseLong(published.string("$.id"));

		// Kill the worker once it has delivered part of the post.
		int[] deliveredAtKill = new int[1];
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2)).until(() -> {
			int delivered = countHolding(fans, post);
			if (delivered > 0) {
				// SIGKILL: no shutdown hook, no offset commit
				this.worker.destroyForcibly();
				this.worker.waitFor();
				deliveredAtKill[0] = countHolding(fans, post);
				return true;
			}
			return false;
		});
		assertThat(deliveredAtKill[0]).as("killed mid-delivery, not after it").isGreaterThan(0).isLessThan(FANS);

		this.workers.start();
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> countHolding(fans, post) == FANS);
		for (long fan : new long[] { fans[0], fans[FANS / 2], fans[FANS - 1] }) {
			assertThat(this.redis.opsForZSet().zCard(RedisKeys.inbox(fan))).isEqualTo(1);
		}
	}

	private void seed(long creator, long[] fans) {
		List<Object[]> users = new ArrayList<>();
		users.add(new Object[] { creator, "c" + creator, "creator" });
		for (long fan : fans) {
			users.add(new Object[] { fan, "c" + fan, "fan" });
		}
		this.jdbc.batchUpdate("INSERT INTO users (id, phone, nickname) VALUES (?, ?, ?)", users);
		List<Object[]> edges = new ArrayList<>();
		for (long fan : fans) {
			edges.add(new Object[] { fan, creator });
		}
		this.jdbc.batchUpdate("INSERT INTO follows (follower_id, followee_id) VALUES (?, ?)", edges);
		// Active fans with live, empty inboxes: what fan-out pushes to.
		String now = Long.toString(System.currentTimeMillis());
		this.redis.executePipelined((RedisCallback<Object>) c -> {
			for (long fan : fans) {
				c.zSetCommands()
					.zAdd(RedisKeys.lastActive(fan).getBytes(), Double.parseDouble(now), Long.toString(fan).getBytes());
				c.stringCommands().set(RedisKeys.inboxFloor(fan).getBytes(), "0".getBytes());
			}
			return null;
		});
	}

	/**
	 * How many of the fans' inboxes hold the post, in pipelines of 1,000 (8,000 at once
	 * could pass the 3 s command timeout on a Redis Cluster while a second app JVM starts
	 * on these 2 cores: seen in the cluster stage).
	 */
	private int countHolding(long[] fans, long post) {
		int holding = 0;
		for (int from = 0; from < fans.length; from += 1_000) {
			long[] chunk = java.util.Arrays.copyOfRange(fans, from, Math.min(fans.length, from + 1_000));
			List<Object> scores = this.redis.executePipelined((RedisCallback<Object>) c -> {
				for (long fan : chunk) {
					c.zSetCommands().zScore(RedisKeys.inbox(fan).getBytes(), Long.toString(post).getBytes());
				}
				return null;
			});
			holding += (int) scores.stream().filter(s -> s != null).count();
		}
		return holding;
	}

	private String token(long userId) {
		return this.tokens.issue(new Viewer(userId, false), Instant.now().plus(Duration.ofHours(1)));
	}

}
