package dev.feedplatform.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import dev.feedplatform.common.keys.RedisKeys;

/**
 * Timeline reads for a reader following 2,000 accounts, 50 of them big (pulled), each
 * with 10 posts interleaved in time. The reader's inbox is built the way the product
 * builds it for a returning user (first read, background regeneration). Then the first
 * page and the tenth page are read over HTTP by concurrent clients, against the pure-pull
 * baseline on the same HTTP stack.
 */
final class TimelineReadBench {

	private static final int FOLLOWED = 2_000;

	private static final int BIG = 50;

	private static final int POSTS_EACH = 10;

	private static final int CLIENTS = 4;

	private static final long WARM_UP_MS = 1_500;

	private static final long MEASURE_MS = 5_000;

	private final Bench bench;

	TimelineReadBench(Bench bench) {
		this.bench = bench;
	}

	void run() {
		Fixture fixture = this.bench.fixture();
		long[] authors = fixture.users("timeline-author", FOLLOWED);
		long reader = fixture.users("timeline-reader", 1)[0];
		fixture.big(Arrays.copyOf(authors, BIG));
		fixture.follows(reader, authors);
		fixture.posts(authors, POSTS_EACH);
		fixture.activeReaders(new long[] { reader });
		// a returning reader: no live inbox yet
		this.bench.redis().delete(RedisKeys.inboxFloor(reader));
		String token = fixture.token(reader);
		// answers by read-time merge and starts the rebuild
		this.bench.http().get("/api/timeline", token);
		if (!Bench.await(30_000, () -> !String.valueOf(Long.MAX_VALUE)
			.equals(this.bench.redis().opsForValue().get(RedisKeys.inboxFloor(reader))))) {
			throw new IllegalStateException("the inbox was not rebuilt in 30 s");
		}
		Long inboxSize = this.bench.redis().opsForZSet().zCard(RedisKeys.inbox(reader));

		String tenthOurs = cursorOfPage(10, last -> this.bench.http().get("/api/timeline?size=20" + last, token));
		String tenthPull = cursorOfPage(10,
				last -> this.bench.http().get("/bench/pure-pull?size=20&reader=" + reader + last, token));
		if (!tenthOurs.equals(tenthPull)) {
			throw new IllegalStateException(
					"the timeline and the pure-pull baseline disagree at page 10: " + tenthOurs + " vs " + tenthPull);
		}
		// JIT warm-up of both paths, so the first measured scenario isn't also the one
		// that compiles them.
		String tenth = "&last_id=" + tenthOurs;
		load(() -> this.bench.http()
			.get("/api/timeline?size=20" + (ThreadLocalRandom.current().nextBoolean() ? tenth : ""), token));
		load(() -> this.bench.http()
			.get("/bench/pure-pull?size=20&reader=" + reader + (ThreadLocalRandom.current().nextBoolean() ? tenth : ""),
					token));
		Report report = this.bench.report();
		for (int page : new int[] { 1, 10 }) {
			String cursor = page == 1 ? "" : "&last_id=" + tenthOurs;
			Load ours = load(() -> this.bench.http().get("/api/timeline?size=20" + cursor, token));
			Load pull = load(() -> this.bench.http().get("/bench/pure-pull?size=20&reader=" + reader + cursor, token));
			String which = page == 1 ? "first page" : "tenth page";
			report.add("timeline", which + " reads/s over HTTP, 2,000 followed (50 big)",
					Report.num(ours.perSecond(), "/s"), Report.num(pull.perSecond(), "/s pure pull"),
					Report.ratio(ours.perSecond() / pull.perSecond()), "≥ 10×");
			report.add("timeline", which + " p50 / p99",
					Report.num(ours.latencies().percentileMs(50), "ms") + " / "
							+ Report.num(ours.latencies().percentileMs(99), "ms"),
					Report.num(pull.latencies().percentileMs(50), "ms") + " / "
							+ Report.num(pull.latencies().percentileMs(99), "ms"),
					"", "");
		}
		// Issue 19: against the HTTP stack's own ceiling, a trivial authenticated GET
		// (token check and
		// one Redis read) on the same Tomcat / virtual-thread stack, at 16 clients.
		load(16, () -> this.bench.http().get("/api/users/me", token)); // warm-up
		Map<String, Runnable> paths = new LinkedHashMap<>();
		paths.put("get", () -> this.bench.http().get("/api/users/me", token));
		paths.put("first", () -> this.bench.http().get("/api/timeline?size=20", token));
		Rounds rounds = Rounds.interleaved(16, paths);
		report.add("timeline",
				"first page reads/s at 16 clients vs the trivial authenticated GET (median of " + Rounds.ROUNDS
						+ " interleaved rounds, spread)",
				rounds.perSecond("first"), rounds.perSecond("get") + " GET", rounds.ratio("first", "get"), "≥ 0.5×");
		report.add("timeline", "first page p50 / p99 at 16 clients (baseline: the GET's)", rounds.percentiles("first"),
				rounds.percentiles("get"), "", "p99 ≤ 20 ms");
		report.plotLatency("timeline first page, 2,000 followed (16 clients)", rounds.latencies("first"));
		report.add("timeline", "inbox entries after the rebuild (cap 800)",
				Report.num(inboxSize == null ? 0 : inboxSize, ""), "", "", "");
	}

	/** The last_id that opens page {@code page}, walking pages 1..page-1. */
	private static String cursorOfPage(int page, Function<String, String> read) {
		String last = "";
		String cursor = null;
		for (int p = 1; p < page; p++) {
			cursor = Http.lastId(read.apply(last));
			last = "&last_id=" + cursor;
		}
		return cursor;
	}

	record Load(double perSecond, Latencies latencies) {
	}

	private static Load load(Runnable request) {
		return load(CLIENTS, request);
	}

	/** {@code clients} threads repeating the request: warm-up, then a measured window. */
	static Load load(int clients, Runnable request) {
		try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
			long warmUntil = System.nanoTime() + WARM_UP_MS * 1_000_000;
			long endAt = warmUntil + MEASURE_MS * 1_000_000;
			List<Future<Latencies>> runs = new ArrayList<>();
			for (int c = 0; c < clients; c++) {
				runs.add(pool.submit(() -> {
					Latencies mine = new Latencies();
					while (System.nanoTime() < endAt) {
						long start = System.nanoTime();
						request.run();
						long end = System.nanoTime();
						if (start >= warmUntil && end <= endAt) {
							mine.record(end - start);
						}
					}
					return mine;
				}));
			}
			Latencies all = new Latencies();
			for (Future<Latencies> run : runs) {
				all.addAll(run.get());
			}
			return new Load(all.count() / (MEASURE_MS / 1000.0), all);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
