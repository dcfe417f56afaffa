package dev.feedplatform.app;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.counterserver.CounterBatchPruner;
import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Posts;
import dev.feedplatform.testsupport.Users;
import dev.feedplatform.testsupport.Users.TestUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Counters end to end over HTTP against real Redis, MariaDB and RocketMQ: idempotent
 * likes under concurrency, exact views from two app instances, like/unlike races, a
 * SIGKILLed instance losing no acknowledged increment, Redis losing its copies, and bad
 * input.
 */
@SpringBootTest(classes = FeedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "feed.login.fixed-code=1000", CounterIntegrationTests.RECONCILE_OFTEN,
				CounterIntegrationTests.RECONCILE_QUIET, "feed.counters.reconcile-chunk=5000" })
@DirtiesContext
class CounterIntegrationTests {

	private static final Duration VISIBLE = Duration.ofSeconds(20);

	/**
	 * The reconciler runs every 200 ms here, so the like/unlike races below also check
	 * that it never corrects a count whose delta is merely on its way.
	 */
	static final String RECONCILE_OFTEN = "feed.counters.reconcile-interval-ms=200";

	static final String RECONCILE_QUIET = "feed.counters.reconcile-quiet=3s";

	@Value("${local.server.port}")
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	StringRedisTemplate redis;

	Api api;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
		// A cached context of an earlier test class may hold the reconciliation lock,
		// kept by its
		// Redisson watchdog for as long as it lives; without the lock it finds its lock
		// gone and
		// steps down, and this one, ticking every 200 ms, takes it over at once.
		this.redis.delete(RedisKeys.countersReconcileLock());
	}

	@Test
	void fiftyConcurrentLikesByOneUserCountOnceAndFiftyUnlikesBringItBackToZero() throws Exception {
		TestUser author = Users.create(this.api, "author");
		TestUser fan = Users.create(this.api, "fan");
		String post = publish(author);
		concurrently(50, i -> assertThat(this.api.post("/api/posts/" + post + "/like", fan.token(), null).status())
			.isEqualTo(204));
		await().atMost(VISIBLE).until(() -> count(post, "likes") == 1);
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM post_reactions WHERE post_id = ?", Long.class,
				Long.parseLong(post)))
			.isEqualTo(1);
		concurrently(50,
				i -> assertThat(this.api.delete("/api/posts/" + post + "/like", fan.token()).status()).isEqualTo(204));
		await().atMost(VISIBLE).until(() -> count(post, "likes") == 0);
		assertThat(databaseCount(post, "likes")).isZero();
	}

	@Test
	void eightThreadsTimesFiveHundredViewsFromTwoInstancesCountExactly() throws Exception {
		TestUser author = Users.create(this.api, "author");
		String post = publish(author);
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(FeedApplication.class)
			.run("--server.port=0", "--spring.main.banner-mode=off")) {
			Api other = new Api(second.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
			concurrently(8, t -> {
				Api api = t % 2 == 0 ? this.api : other;
				for (int i = 0; i < 500; i++) {
					assertThat(api.post("/api/posts/" + post + "/views", author.token(), null).status()).isEqualTo(202);
				}
			});
			await().atMost(VISIBLE).until(() -> count(post, "views") == 4_000);
			assertThat(databaseCount(post, "views")).isEqualTo(4_000);
			// Reads keep answering 4,000 for a while: no late double count from
			// redelivery.
			Thread.sleep(1_500);
			assertThat(count(post, "views")).isEqualTo(4_000);
		}
	}

	@Test
	void likeAndUnlikeRacesEndWithTheCountEqualToTheRowsKept() throws Exception {
		TestUser author = Users.create(this.api, "author");
		String post = publish(author);
		List<TestUser> fans = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			fans.add(Users.create(this.api, "fan" + i));
		}
		concurrently(40, i -> {
			TestUser fan = fans.get(i % fans.size());
			Reply reply = i % 3 == 0 ? this.api.delete("/api/posts/" + post + "/like", fan.token())
					: this.api.post("/api/posts/" + post + "/like", fan.token(), null);
			assertThat(reply.status()).isEqualTo(204);
		});
		long rows = this.jdbc.queryForObject("SELECT COUNT(*) FROM post_reactions WHERE post_id = ? AND kind = 1",
				Long.class, Long.parseLong(post));
		await().atMost(VISIBLE).until(() -> count(post, "likes") == rows);
		assertThat(databaseCount(post, "likes")).isEqualTo(rows);
	}

	@Test
	void anInstanceKilledMidLoadLosesNoAcknowledgedViewAndRedisLossIsRepairedFromTheDatabase() throws Exception {
		TestUser author = Users.create(this.api, "author");
		String post = publish(author);
		int childPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			childPort = socket.getLocalPort();
		}
		Path log = Files.createTempFile("counter-instance", ".log");
		Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m", "-cp",
				System.getProperty("java.class.path"), FeedApplication.class.getName(), "--server.port=" + childPort,
				"--spring.main.banner-mode=off")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.directory(new File("."))
			.start();
		try {
			await().atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> Files.readString(log).contains("Started FeedApplication"));
			Api doomed = new Api(childPort);
			AtomicLong acknowledged = new AtomicLong();
			AtomicLong sent = new AtomicLong();
			ExecutorService load = Executors.newFixedThreadPool(4);
			for (int t = 0; t < 4; t++) {
				load.submit(() -> {
					while (!Thread.currentThread().isInterrupted()) {
						sent.incrementAndGet();
						try {
							if (doomed.post("/api/posts/" + post + "/views", author.token(), null).status() == 202) {
								acknowledged.incrementAndGet();
							}
						}
						catch (RuntimeException connectionLost) {
							return;
						}
					}
				});
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.get() >= 300);
			child.destroyForcibly(); // SIGKILL mid-load
			child.waitFor();
			load.shutdownNow();
			load.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
			long acked = acknowledged.get();
			// This instance's appliers take over the dead one's queues: every
			// acknowledged view is applied, nothing twice.
			await().atMost(Duration.ofSeconds(60)).until(() -> databaseCount(post, "views") >= acked);
			Thread.sleep(1_000);
			assertThat(databaseCount(post, "views")).isBetween(acked, sent.get());
			// Redis loses its copy: reads rebuild it from the durable totals.
			this.redis.delete(RedisKeys.postCounts(Long.parseLong(post)));
			await().atMost(VISIBLE).until(() -> count(post, "views") == databaseCount(post, "views"));
		}
		finally {
			child.destroyForcibly();
		}
	}

	@Test
	void countsLeftBehindByALostDeltaAreCorrectedToTheirRows() throws Exception {
		TestUser author = Users.create(this.api, "author");
		TestUser fan = Users.create(this.api, "fan");
		TestUser other = Users.create(this.api, "other");
		String liked = publish(author);
		String unliked = publish(author);
		assertThat(this.api.post("/api/posts/" + liked + "/like", fan.token(), null).status()).isEqualTo(204);
		assertThat(this.api.post("/api/posts/" + unliked + "/like", fan.token(), null).status()).isEqualTo(204);
		assertThat(this.api.post("/api/posts/" + unliked + "/favorite", fan.token(), null).status()).isEqualTo(204);
		await().atMost(VISIBLE)
			.until(() -> count(liked, "likes") == 1 && count(unliked, "likes") == 1
					&& count(unliked, "favorites") == 1);
		// The crash window: rows changed, but the instance died before the deltas reached
		// the broker.
		this.jdbc.update("INSERT INTO post_reactions (post_id, user_id, kind) VALUES (?, ?, 1)", Long.parseLong(liked),
				other.id());
		this.jdbc.update("DELETE FROM post_reactions WHERE post_id = ? AND user_id = ?", Long.parseLong(unliked),
				fan.id());
		await().atMost(Duration.ofSeconds(60))
			.until(() -> count(liked, "likes") == 2 && count(unliked, "likes") == 0
					&& count(unliked, "favorites") == 0);
		assertThat(databaseCount(liked, "likes")).isEqualTo(2);
		// Corrected once: the counts stay put.
		Thread.sleep(4_000);
		assertThat(databaseCount(liked, "likes")).isEqualTo(2);
		assertThat(databaseCount(unliked, "likes")).isZero();
		assertThat(databaseCount(unliked, "favorites")).isZero();
	}

	@Test
	void appliedBatchIdsArePrunedOnlyOnceTheyAreOlderThanTheRetention(@Autowired CounterBatchPruner pruner) {
		String old = "00000000-0000-0000-0000-" + String.format("%012d", System.nanoTime() % 1_000_000_000_000L);
		String recent = "ffffffff-0000-0000-0000-" + String.format("%012d", System.nanoTime() % 1_000_000_000_000L);
		this.jdbc.update("INSERT INTO counter_batches (batch_id, applied_at) VALUES (?, NOW(3) - INTERVAL 8 DAY)", old);
		this.jdbc.update("INSERT INTO counter_batches (batch_id, applied_at) VALUES (?, NOW(3) - INTERVAL 6 DAY)",
				recent);
		assertThat(pruner.prune()).isPositive();
		assertThat(
				this.jdbc.queryForObject("SELECT COUNT(*) FROM counter_batches WHERE batch_id = ?", Integer.class, old))
			.isZero();
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM counter_batches WHERE batch_id = ?", Integer.class,
				recent))
			.isOne();
		this.jdbc.update("DELETE FROM counter_batches WHERE batch_id = ?", recent);
	}

	@Test
	void unknownAndMalformedIdsAreClearProblemsAndCreateNoCounter() {
		TestUser user = Users.create(this.api, "user");
		String post = publish(user);
		for (String path : List.of("/api/posts/999999999/like", "/api/posts/999999999/favorite",
				"/api/posts/999999999/share", "/api/posts/999999999/views")) {
			Reply reply = this.api.post(path, user.token(), null);
			assertThat(reply.status()).as(path).isEqualTo(404);
			assertThat(reply.isProblem()).isTrue();
		}
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM post_counters WHERE post_id = 999999999", Long.class))
			.isZero();
		assertThat(this.api.post("/api/posts/abc/like", user.token(), null).status()).isEqualTo(400);
		assertThat(this.api.post("/api/posts/-1/views", user.token(), null).status()).isEqualTo(400);
		assertThat(this.api.get("/api/counters", user.token()).status()).isEqualTo(400);
		assertThat(this.api.get("/api/counters?ids=1,x", user.token()).status()).isEqualTo(400);
		StringBuilder many = new StringBuilder(post);
		for (int i = 0; i < 100; i++) {
			many.append(',').append(post);
		}
		assertThat(this.api.get("/api/counters?ids=" + many, user.token()).status()).isEqualTo(400);
		assertThat(this.api.post("/api/posts/" + post + "/like", null, null).status()).isEqualTo(401);
		Reply counts = this.api.get("/api/counters?ids=" + post + ",999999999", user.token());
		assertThat(counts.status()).isEqualTo(200);
		assertThat(counts.<Object>json("$['" + post + "'].likes")).isEqualTo(0);
		assertThat(counts.body()).doesNotContain("999999999");
	}

	private interface Task {

		void run(int i) throws Exception;

	}

	private static void concurrently(int n, Task task) throws Exception {
		try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
			List<Future<?>> runs = new ArrayList<>();
			AtomicInteger next = new AtomicInteger();
			for (int i = 0; i < n; i++) {
				runs.add(pool.submit(() -> {
					task.run(next.getAndIncrement());
					return null;
				}));
			}
			for (Future<?> run : runs) {
				run.get();
			}
		}
	}

	private String publish(TestUser author) {
		return Posts.publish(this.api, author, "counted");
	}

	private long count(String post, String field) {
		Reply reply = this.api.get("/api/counters?ids=" + post, Users.create(this.api, "reader").token());
		return ((Number) reply.json("$['" + post + "']." + field)).longValue();
	}

	private long databaseCount(String post, String field) {
		List<Long> values = this.jdbc.queryForList("SELECT " + field + " FROM post_counters WHERE post_id = ?",
				Long.class, Long.parseLong(post));
		return values.isEmpty() ? 0 : values.get(0);
	}

}
