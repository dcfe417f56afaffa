package dev.feedplatform.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.publish.fanout.CoreFans;
import org.springframework.data.redis.core.RedisCallback;

/**
 * Tiered big accounts (issue 19), two of them with the default tiers: 100,000 followers,
 * all active (5,000 core fans), and 1,000,000 followers, a tenth of them active within
 * the window (seen at distinct times, with live inboxes), the rest dormant (10,000 core
 * fans). Measured for each: the core pick (one scan of the follower rows and their
 * activity); publish &rarr; the post is in each core fan's inbox (per-fan times from a
 * poller) and on a sample of ordinary fans' first pages over HTTP (they pull it), 5
 * posts; and the first page of an ordinary and of a core fan at 16 clients, against the
 * trivial authenticated GET of the same stack in the same run.
 * {@code -Dfeed.bench.big.followers=N} scales the larger one.
 */
final class BigAccountBench {

	private static final int FOLLOWERS = Integer.getInteger("feed.bench.big.followers", 1_000_000);

	private static final int ROUNDS = 5;

	/** How often the poller asks every core inbox that hasn't got the post yet. */
	private static final long POLL_MS = 20;

	private final Bench bench;

	BigAccountBench(Bench bench) {
		this.bench = bench;
	}

	void run() {
		scenario(100_000, 1);
		scenario(FOLLOWERS, 10);
	}

	/**
	 * A big account with {@code followers} followers, every {@code activeEvery}-th of
	 * them active.
	 */
	private void scenario(int followerCount, int activeEvery) {
		Fixture fixture = this.bench.fixture();
		long star = fixture.users("big-star", 1)[0];
		long seedStart = System.nanoTime();
		long[] followers = fixture.denseUsers("big-fan", followerCount);
		fixture.followedByDense(star, followers);
		fixture.big(new long[] { star });
		fixture.posts(new long[] { star }, 40);
		// Seen at distinct times (newest first by index).
		long[] active = new long[followerCount / activeEvery];
		for (int i = 0; i < active.length; i++) {
			active[i] = followers[i * activeEvery];
		}
		fixture.seeded(active);
		liveAndSeen(active);
		double seedS = (System.nanoTime() - seedStart) / 1e9;

		CoreFans coreFans = this.bench.bean(CoreFans.class);
		long pickStart = System.nanoTime();
		if (!coreFans.recompute(star)) {
			throw new IllegalStateException("another pick of the star's core fans was running");
		}
		double pickMs = (System.nanoTime() - pickStart) / 1e6;
		long[] core = coreFans.members(star);
		Arrays.sort(core);
		long[] ordinary = Arrays.stream(active).filter(fan -> Arrays.binarySearch(core, fan) < 0).limit(256).toArray();

		String token = fixture.token(star);
		this.bench.http().publish(token, "warm-up");
		this.bench.awaitFanOutQuiet();
		String[] ordinaryTokens = Arrays.stream(ordinary).mapToObj(fixture::token).toArray(String[]::new);
		// The poller asks 1,000 core inboxes (a random sample), not all of them: polling
		// every inbox
		// every 20 ms would compete with the fan-out it measures. All are checked once
		// after.
		long[] sample = Arrays.stream(core)
			.boxed()
			.sorted(java.util.Comparator.comparingInt(fan -> Long.hashCode(fan * 0x9E3779B97F4A7C15L)))
			.limit(1_000)
			.mapToLong(Long::longValue)
			.toArray();
		Latencies delivery = new Latencies();
		Latencies pulled = new Latencies();
		List<Double> lastMs = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			long start = System.nanoTime();
			long post = this.bench.http().publish(token, "to the core " + round);
			long[] arrivals = awaitAll(sample, post, start);
			Arrays.stream(arrivals).forEach(delivery::record);
			lastMs.add(Arrays.stream(arrivals).max().orElse(0) / 1e6);
			if (!Bench.await(60_000, () -> allHold(core, post))) {
				throw new IllegalStateException("not every core fan got post " + post + " in 60 s");
			}
			// Then the pulling fans: publish again and read 32 of their first pages at
			// once, the clock
			// started before the publish (what a fan refreshing at that moment waits
			// for).
			long shown = System.nanoTime();
			long next = this.bench.http().publish(token, "to everyone " + round);
			try (java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(32)) {
				List<java.util.concurrent.Future<Long>> reads = new ArrayList<>();
				for (int i = 0; i < 32; i++) {
					String reader = ordinaryTokens[i];
					reads.add(readers.submit(() -> {
						String page = this.bench.http().get("/api/timeline?size=20", reader);
						if (!Long.toString(next).equals(Http.firstId(page))) {
							throw new IllegalStateException(
									"an ordinary fan's first page lacks post " + next + " just published");
						}
						return System.nanoTime() - shown;
					}));
				}
				for (java.util.concurrent.Future<Long> read : reads) {
					pulled.record(read.get());
				}
			}
			catch (InterruptedException | java.util.concurrent.ExecutionException ex) {
				throw new IllegalStateException(ex);
			}
			this.bench.awaitFanOutQuiet();
		}
		lastMs.sort(Double::compare);

		// Reads: 256 ordinary fans and 256 core fans, each request by a random one of
		// them.
		String[] coreTokens = Arrays.stream(core).limit(256).mapToObj(fixture::token).toArray(String[]::new);
		for (String t : ordinaryTokens) {
			// first read of each: caches and JIT
			this.bench.http().get("/api/timeline?size=20", t);
		}
		TimelineReadBench.load(16, () -> this.bench.http().get("/api/users/me", any(ordinaryTokens))); // warm-up
		Map<String, Runnable> paths = new LinkedHashMap<>();
		paths.put("get", () -> this.bench.http().get("/api/users/me", any(ordinaryTokens)));
		paths.put("ordinary", () -> this.bench.http().get("/api/timeline?size=20", any(ordinaryTokens)));
		paths.put("core", () -> this.bench.http().get("/api/timeline?size=20", any(coreTokens)));
		Rounds reads = Rounds.interleaved(16, paths);

		Report report = this.bench.report();
		String area = "big account, " + String.format("%,d", followerCount) + " followers";
		report.add(area, "seeding (" + String.format("%,d", active.length) + " active)", Report.num(seedS, "s"), "", "",
				"");
		report.add(area, "core pick: the " + String.format("%,d", core.length) + " most recently active followers",
				Report.num(pickMs, "ms"), "", "", "");
		report.add(area,
				"publish → core fan's inbox, p50 / p99 over " + ROUNDS + " posts × 1,000 of the "
						+ String.format("%,d", core.length) + " (polled)",
				Report.percentiles(delivery), "", "", "p99 ≤ 1 s");
		report.add(area, "publish → the last polled core fan (median / max of " + ROUNDS + ")",
				Report.num(lastMs.get(lastMs.size() / 2), "ms") + " / " + Report.num(lastMs.getLast(), "ms"), "", "",
				"");
		report.add(area, "publish → on an ordinary fan's first page (publish + 32 fans' reads at once), p50 / p99",
				Report.percentiles(pulled), "", "", "p99 ≤ 1 s");
		String rounds = " (median of " + Rounds.ROUNDS + " interleaved rounds, spread)";
		report.add(area, "ordinary fan's first page reads/s at 16 clients vs the trivial GET" + rounds,
				reads.perSecond("ordinary"), reads.perSecond("get") + " GET", reads.ratio("ordinary", "get"), "≥ 0.5×");
		report.add(area, "ordinary fan's first page p50 / p99 (baseline: the GET's)", reads.percentiles("ordinary"),
				reads.percentiles("get"), "", "p99 ≤ 20 ms");
		report.add(area, "core fan's first page reads/s at 16 clients" + rounds, reads.perSecond("core"),
				reads.perSecond("get") + " GET", reads.ratio("core", "get"), "");
		report.add(area, "core fan's first page p50 / p99 (baseline: the GET's)", reads.percentiles("core"),
				reads.percentiles("get"), "", "");
		String scale = String.format("%,d", followerCount) + " followers: ";
		report.plotLatency(scale + "core fan's inbox holds the post (publish → push)", delivery);
		report.plotLatency(scale + "ordinary fan's first page (16 clients)", reads.latencies("ordinary"));
		report.plotLatency(scale + "core fan's first page (16 clients)", reads.latencies("core"));
		report.plotLatency(scale + "trivial authenticated GET (16 clients)", reads.latencies("get"));
	}

	private static String any(String[] tokens) {
		return tokens[ThreadLocalRandom.current().nextInt(tokens.length)];
	}

	/**
	 * Active within the window (distinct times, newest first) and a live, empty inbox
	 * each.
	 */
	private void liveAndSeen(long[] users) {
		long now = System.currentTimeMillis();
		for (int from = 0; from < users.length; from += 1_000) {
			int begin = from;
			this.bench.redis().executePipelined((RedisCallback<Object>) c -> {
				for (int i = begin; i < Math.min(users.length, begin + 1_000); i++) {
					c.zSetCommands()
						.zAdd(Fixture.bytes(RedisKeys.lastActive(users[i])), now - i,
								Fixture.bytes(Long.toString(users[i])));
					c.stringCommands().set(Fixture.bytes(RedisKeys.inboxFloor(users[i])), Fixture.bytes("0"));
					c.keyCommands().pExpire(Fixture.bytes(RedisKeys.inboxFloor(users[i])), 2 * 3_600_000L);
				}
				return null;
			});
		}
	}

	private boolean allHold(long[] fans, long post) {
		for (boolean holds : this.bench.inboxesHold(fans, post)) {
			if (!holds) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Polls the fans' inboxes until each holds the post; answers each fan's nanoseconds
	 * from {@code start} to the answer of the sweep that first saw it (late by at most
	 * one sweep).
	 */
	private long[] awaitAll(long[] fans, long post, long start) {
		long[] arrivals = new long[fans.length];
		Arrays.fill(arrivals, -1);
		int left = fans.length;
		long deadline = start + 60_000_000_000L;
		while (left > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(left + " core fans lack post " + post + " after 60 s");
			}
			boolean[] holds = this.bench.inboxesHold(fans, post);
			long now = System.nanoTime();
			for (int i = 0; i < fans.length; i++) {
				if (holds[i] && arrivals[i] < 0) {
					arrivals[i] = now - start;
					left--;
				}
			}
			if (left > 0) {
				Bench.sleep(POLL_MS);
			}
		}
		return arrivals;
	}

}
