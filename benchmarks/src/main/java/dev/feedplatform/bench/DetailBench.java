package dev.feedplatform.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.cache.LeaseCache;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The detail page. Herd: 1,000 concurrent cold reads of one post split over two cache
 * instances (sharing only Redis), with leases vs plain cache-aside, counting real
 * database loads. Latency over HTTP per tier: one hot post (local tier), 2,000 posts in
 * rotation (Redis), posts read once (cold: a database load). Retraction: a moderator's
 * 204 on this instance, then the second instance (another application context in this
 * JVM, sharing only the stores) is polled until it answers 404.
 */
final class DetailBench {

	private static final int HERD = 1_000;

	private final Bench bench;

	private final String[] secondArgs;

	DetailBench(Bench bench, String[] secondArgs) {
		this.bench = bench;
		this.secondArgs = secondArgs;
	}

	void run() {
		Fixture fixture = this.bench.fixture();
		long[] authors = fixture.users("detail-author", 50);
		long[] posts = fixture.posts(authors, 100);
		String token = fixture.token(fixture.users("detail-reader", 1)[0]);
		herd(posts);
		tiers(posts, token);
		retraction(fixture, authors, token);
	}

	private void herd(long[] posts) {
		JdbcClient db = this.bench.bean(JdbcClient.class);
		long withLeases = herdLoads(true, posts[0], db);
		long withoutLeases = herdLoads(false, posts[1], db);
		this.bench.report()
			.add("detail", "database loads per 1,000 concurrent cold reads (2 instances)",
					Report.num(withLeases, "with leases"), Report.num(withoutLeases, "cache-aside"),
					Report.ratio(withoutLeases / (double) Math.max(1, withLeases)) + " fewer", "≥ 100× fewer");
	}

	private long herdLoads(boolean leases, long post, JdbcClient db) {
		LeaseCache.Settings settings = new LeaseCache.Settings(Duration.ofMinutes(5), Duration.ofSeconds(30),
				Duration.ofSeconds(2), Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofSeconds(2), 0.2);
		String tag = "bench-herd-" + leases + "-" + post;
		LeaseCache one = new LeaseCache(this.bench.redis(), id -> keys(tag), settings, leases);
		LeaseCache two = new LeaseCache(this.bench.redis(), id -> keys(tag), settings, leases);
		AtomicInteger loads = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<?>> reads = new ArrayList<>();
			for (int i = 0; i < HERD; i++) {
				LeaseCache cache = i % 2 == 0 ? one : two;
				reads.add(pool.submit(() -> {
					start.await();
					return cache.get(Long.toString(post), () -> {
						loads.incrementAndGet();
						return db.sql("SELECT title FROM posts WHERE id = ?")
							.param(post)
							.query(String.class)
							.optional();
					});
				}));
			}
			start.countDown();
			for (Future<?> read : reads) {
				read.get();
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			this.bench.redis().delete(List.of(keys(tag).value(), keys(tag).lease(), keys(tag).stale()));
		}
		return loads.get();
	}

	private static LeaseCache.Keys keys(String tag) {
		return new LeaseCache.Keys("bench:{" + tag + "}:v", "bench:{" + tag + "}:lease", "bench:{" + tag + "}:stale");
	}

	private void tiers(long[] posts, String token) {
		Http http = this.bench.http();
		// JIT warm-up
		TimelineReadBench.load(4,
				() -> http.get("/api/posts/" + posts[3 + ThreadLocalRandom.current().nextInt(100)], token));
		TimelineReadBench.Load hot = TimelineReadBench.load(4, () -> http.get("/api/posts/" + posts[2], token));
		int rotation = 2_000;
		for (int i = 0; i < rotation; i++) {
			http.get("/api/posts/" + posts[i], token); // into Redis
		}
		TimelineReadBench.Load warm = TimelineReadBench.load(4,
				() -> http.get("/api/posts/" + posts[ThreadLocalRandom.current().nextInt(rotation)], token));
		AtomicInteger next = new AtomicInteger(rotation);
		TimelineReadBench.Load cold = TimelineReadBench.load(4, () -> {
			int i = next.getAndIncrement();
			long post = posts[i % posts.length];
			// never read before (or forgotten): a real load
			this.bench.redis().delete(RedisKeys.postDetail(post));
			http.get("/api/posts/" + post, token);
		});
		Report report = this.bench.report();
		for (var tier : List.of(new Object[] { "local-hot (one post)", hot },
				new Object[] { "Redis-warm (2,000 posts)", warm }, new Object[] { "cold (database load)", cold })) {
			TimelineReadBench.Load load = (TimelineReadBench.Load) tier[1];
			report.add("detail", "GET /api/posts/{id} " + tier[0] + ": p50 / p99 (reads/s, 4 clients)",
					Report.num(load.latencies().percentileMs(50), "ms") + " / "
							+ Report.num(load.latencies().percentileMs(99), "ms") + " ("
							+ Report.num(load.perSecond(), "/s") + ")",
					"", "", "");
		}
	}

	private void retraction(Fixture fixture, long[] authors, String token) {
		ConfigurableApplicationContext second = new SpringApplication(BenchApplication.class).run(this.secondArgs);
		try {
			Http other = new Http(second.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
			String moderator = fixture.moderatorToken(fixture.users("detail-moderator", 1)[0]);
			long[] fresh = fixture.posts(new long[] { authors[0] }, 60);
			Latencies untilGone = new Latencies();
			AtomicLong polls = new AtomicLong();
			for (int i = 0; i < fresh.length; i++) {
				long post = fresh[i];
				other.get("/api/posts/" + post, token); // cached on the other instance
				this.bench.http().post204("/api/moderation/blacklist/" + post, moderator);
				long answered = System.nanoTime();
				while (other.status("/api/posts/" + post, token) != 404) {
					polls.incrementAndGet();
				}
				if (i >= 10) {
					untilGone.record(System.nanoTime() - answered);
				}
			}
			this.bench.report()
				.add("detail", "moderator's 204 → 404 on the other instance, p50 / p99 (50 posts)",
						Report.num(untilGone.percentileMs(50), "ms") + " / "
								+ Report.num(untilGone.percentileMs(99), "ms"),
						"", "", "p99 ≤ 100 ms; extra polls: " + polls.get());
		}
		finally {
			second.close();
		}
	}

}
