package dev.feedplatform.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import dev.feedplatform.counterserver.CounterField;
import dev.feedplatform.counterserver.CounterReads;
import dev.feedplatform.counterserver.WriteMerger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.data.redis.core.RedisCallback;

/**
 * Counter write merging. In process: 4 threads add 2,000,000 increments through the
 * platform's {@link WriteMerger} (one hot post, then spread over 10,000 posts); the clock
 * stops when the last window is durable on the broker. Baseline: the same number of
 * pipelined {@code INCRBY}s from this JVM into the same Redis. Merge factors come from
 * the platform's own counters once everything is applied. Over HTTP: 64 concurrent
 * clients posting views (each answered only once durable), and reads of 100-id batches.
 */
final class CounterBench {

	private static final int INCREMENTS = 2_000_000;

	private static final int THREADS = 4;

	private final Bench bench;

	CounterBench(Bench bench) {
		this.bench = bench;
	}

	void run() {
		Fixture fixture = this.bench.fixture();
		long[] authors = fixture.users("counter-author", 100);
		long[] posts = fixture.posts(authors, 100);
		WriteMerger merger = this.bench.bean(WriteMerger.class);
		inProcess("one hot post", merger, new long[] { posts[0] });
		inProcess("10,000 posts", merger, posts);
		overHttp(fixture, posts);
		reads(fixture, posts);
	}

	private void inProcess(String shape, WriteMerger merger, long[] posts) {
		double rawPerSecond = rawIncrby(posts);
		double appliedBefore = counter("feed.counters.applied");
		double redisBefore = counter("feed.counters.writes.redis");
		double databaseBefore = counter("feed.counters.writes.database");
		long start = System.nanoTime();
		List<CompletableFuture<Void>> last = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
			List<Future<CompletableFuture<Void>>> runs = new ArrayList<>();
			for (int t = 0; t < THREADS; t++) {
				runs.add(pool.submit(() -> {
					CompletableFuture<Void> durable = null;
					ThreadLocalRandom random = ThreadLocalRandom.current();
					for (int i = 0; i < INCREMENTS / THREADS; i++) {
						durable = merger.add(posts[posts.length == 1 ? 0 : random.nextInt(posts.length)],
								CounterField.VIEWS, 1);
					}
					return durable;
				}));
			}
			for (Future<CompletableFuture<Void>> run : runs) {
				last.add(run.get());
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		// windows go out in order: the last ones imply the rest
		CompletableFuture.allOf(last.toArray(CompletableFuture[]::new)).join();
		double seconds = (System.nanoTime() - start) / 1e9;
		if (!Bench.await(120_000, () -> counter("feed.counters.applied") - appliedBefore >= INCREMENTS)) {
			throw new IllegalStateException("increments were not all applied within 120 s");
		}
		double perSecond = INCREMENTS / seconds;
		Report report = this.bench.report();
		report.add("counters", "increments absorbed and durable/s in process, " + shape, Report.num(perSecond, "/s"),
				Report.num(rawPerSecond, "INCRBY/s pipelined"), Report.ratio(perSecond / rawPerSecond), "≥ 200,000/s");
		report.add("counters", "merge factor (increments per Redis write / per DB row write), " + shape,
				Report.num(INCREMENTS / (counter("feed.counters.writes.redis") - redisBefore), "") + " / "
						+ Report.num(INCREMENTS / (counter("feed.counters.writes.database") - databaseBefore), ""),
				"", "", "≥ 100");
	}

	private double rawIncrby(long[] posts) {
		long start = System.nanoTime();
		ThreadLocalRandom random = ThreadLocalRandom.current();
		for (int from = 0; from < INCREMENTS; from += 1000) {
			this.bench.redis().executePipelined((RedisCallback<Object>) c -> {
				for (int i = 0; i < 1000; i++) {
					c.stringCommands()
						.incrBy(Fixture.bytes(
								"bench:{" + posts[posts.length == 1 ? 0 : random.nextInt(posts.length)] + "}:raw"), 1);
				}
				return null;
			});
		}
		double perSecond = INCREMENTS / ((System.nanoTime() - start) / 1e9);
		this.bench.redis().executePipelined((RedisCallback<Object>) c -> {
			for (long post : posts) {
				c.keyCommands().del(Fixture.bytes("bench:{" + post + "}:raw"));
			}
			return null;
		});
		return perSecond;
	}

	private void overHttp(Fixture fixture, long[] posts) {
		String token = fixture.token(fixture.users("counter-viewer", 1)[0]);
		// The HTTP stack's ceiling in the same run (issue 19): a trivial authenticated
		// GET (token + one
		// Redis read), as many clients, in interleaved rounds with the two view paths.
		TimelineReadBench.load(64, () -> this.bench.http().get("/api/users/me", token)); // warm-up
		Map<String, Runnable> paths = new LinkedHashMap<>();
		paths.put("get", () -> this.bench.http().get("/api/users/me", token));
		paths.put("hot", () -> this.bench.http().postAccepted("/api/posts/" + posts[0] + "/views", token));
		paths.put("spread", () -> this.bench.http()
			.postAccepted("/api/posts/" + posts[ThreadLocalRandom.current().nextInt(posts.length)] + "/views", token));
		Rounds rounds = Rounds.interleaved(64, paths);
		Report report = this.bench.report();
		String median = " (median of " + Rounds.ROUNDS + " interleaved rounds, spread)";
		report.add("counters", "views over HTTP/s, 64 clients, one hot post, vs the trivial GET" + median,
				rounds.perSecond("hot"), rounds.perSecond("get") + " GET", rounds.ratio("hot", "get"), "≥ 0.5×");
		report.add("counters", "views over HTTP, one hot post, p50 / p99 (baseline: the GET's)",
				rounds.percentiles("hot"), rounds.percentiles("get"), "", "");
		report.add("counters", "views over HTTP/s, 64 clients, 10,000 posts" + median + "; p50 / p99",
				rounds.perSecond("spread") + "; " + rounds.percentiles("spread"), rounds.perSecond("get") + " GET",
				rounds.ratio("spread", "get"), "≥ 0.5×");
		report.plotLatency("view over HTTP (64 clients, one hot post)", rounds.latencies("hot"));
		report.plotLatency("trivial authenticated GET (64 clients)", rounds.latencies("get"));
	}

	private void reads(Fixture fixture, long[] posts) {
		String token = fixture.token(fixture.users("counter-reader", 1)[0]);
		CounterReads reads = this.bench.bean(CounterReads.class);
		TimelineReadBench.Load inProcess = TimelineReadBench.load(4, () -> reads.counts(batch(posts)));
		TimelineReadBench.Load http = TimelineReadBench.load(4, () -> this.bench.http()
			.get("/api/counters?ids=" + String.join(",", batch(posts).stream().map(String::valueOf).toList()), token));
		Report report = this.bench.report();
		report.add("counters", "read of a 100-id batch, p50 / p99, in process",
				Report.num(inProcess.latencies().percentileMs(50), "ms") + " / "
						+ Report.num(inProcess.latencies().percentileMs(99), "ms"),
				"", "", "");
		report.add("counters", "read of a 100-id batch, p50 / p99 over HTTP (reads/s)",
				Report.num(http.latencies().percentileMs(50), "ms") + " / "
						+ Report.num(http.latencies().percentileMs(99), "ms") + " ("
						+ Report.num(http.perSecond(), "/s") + ")",
				"", "", "");
	}

	private static List<Long> batch(long[] posts) {
		int from = ThreadLocalRandom.current().nextInt(posts.length - 100);
		List<Long> ids = new ArrayList<>(100);
		for (int i = 0; i < 100; i++) {
			ids.add(posts[from + i]);
		}
		return ids;
	}

	private double counter(String name) {
		Counter counter = this.bench.bean(MeterRegistry.class).find(name).counter();
		return counter == null ? 0 : counter.count();
	}

}
