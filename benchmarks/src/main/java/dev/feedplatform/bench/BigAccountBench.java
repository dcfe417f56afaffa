package dev.feedplatform.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.publish.fanout.CoreFans;
import org.springframework.data.redis.core.RedisCallback;

/**
 * A tiered big account (issue 19): 1,000,000 followers, a tenth of them active within the window
 * (seen at distinct times, with live inboxes), the rest dormant. The default tiers give it 10,000
 * core fans. Measured: the core pick (one scan of a million follower rows and their activity),
 * publish &rarr; each core fan's inbox holds the post (per-fan times from a poller, 5 posts), and
 * the first page of an ordinary (pulling) fan and of a core fan at 16 clients, against the trivial
 * authenticated GET of the same stack in the same run. {@code -Dfeed.bench.big.followers=N} scales it.
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
		Fixture fixture = this.bench.fixture();
		long star = fixture.users("big-star", 1)[0];
		long seedStart = System.nanoTime();
		long[] followers = fixture.denseUsers("big-fan", FOLLOWERS);
		fixture.followedByDense(star, followers);
		fixture.big(new long[] { star });
		fixture.posts(new long[] { star }, 40);
		// Every tenth follower is active, seen at distinct times (newest first by index).
		long[] active = new long[FOLLOWERS / 10];
		for (int i = 0; i < active.length; i++) {
			active[i] = followers[i * 10];
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
		Latencies delivery = new Latencies();
		List<Double> lastMs = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			long start = System.nanoTime();
			long post = this.bench.http().publish(token, "to the core " + round);
			long[] arrivals = awaitAll(core, post, start);
			Arrays.stream(arrivals).forEach(delivery::record);
			lastMs.add(Arrays.stream(arrivals).max().orElse(0) / 1e6);
		}
		lastMs.sort(Double::compare);

		// Reads: 256 ordinary fans and 256 core fans, each request by a random one of them.
		String[] ordinaryTokens = Arrays.stream(ordinary).mapToObj(fixture::token).toArray(String[]::new);
		String[] coreTokens = Arrays.stream(core).limit(256).mapToObj(fixture::token).toArray(String[]::new);
		for (String t : ordinaryTokens) {
			this.bench.http().get("/api/timeline?size=20", t); // first read of each: caches and JIT
		}
		TimelineReadBench.load(16, () -> this.bench.http().get("/api/users/me", any(ordinaryTokens))); // warm-up
		TimelineReadBench.Load ceiling = TimelineReadBench.load(16, () -> this.bench.http().get("/api/users/me", any(ordinaryTokens)));
		TimelineReadBench.Load pulling = TimelineReadBench.load(16, () -> this.bench.http().get("/api/timeline?size=20", any(ordinaryTokens)));
		TimelineReadBench.Load pushed = TimelineReadBench.load(16, () -> this.bench.http().get("/api/timeline?size=20", any(coreTokens)));

		Report report = this.bench.report();
		String followerCount = String.format("%,d", FOLLOWERS);
		report.add("big account", "seeding " + followerCount + " followers (" + String.format("%,d", active.length) + " active)",
				Report.num(seedS, "s"), "", "", "");
		report.add("big account", "core pick: top " + String.format("%,d", core.length) + " of " + followerCount + " followers by activity",
				Report.num(pickMs, "ms"), "", "", "");
		report.add("big account", "publish → core fan's inbox, p50 / p99 over " + ROUNDS + " posts × " + String.format("%,d", core.length) + " fans",
				Report.num(delivery.percentileMs(50), "ms") + " / " + Report.num(delivery.percentileMs(99), "ms"), "", "", "p99 ≤ 1 s");
		report.add("big account", "publish → the last core fan (median / max of " + ROUNDS + ")",
				Report.num(lastMs.get(lastMs.size() / 2), "ms") + " / " + Report.num(lastMs.getLast(), "ms"), "", "", "");
		report.add("big account", "ordinary fan's first page reads/s at 16 clients vs the trivial GET", Report.num(pulling.perSecond(), "/s"),
				Report.num(ceiling.perSecond(), "/s GET"), Report.ratio(pulling.perSecond() / ceiling.perSecond()), "");
		report.add("big account", "ordinary fan's first page p50 / p99 (baseline: the GET's)", percentiles(pulling.latencies()),
				percentiles(ceiling.latencies()), "", "p99 ≤ 20 ms");
		report.add("big account", "core fan's first page reads/s, p50 / p99", Report.num(pushed.perSecond(), "/s") + ", "
				+ percentiles(pushed.latencies()), "", Report.ratio(pushed.perSecond() / ceiling.perSecond()), "");
	}

	private static String percentiles(Latencies latencies) {
		return Report.num(latencies.percentileMs(50), "ms") + " / " + Report.num(latencies.percentileMs(99), "ms");
	}

	private static String any(String[] tokens) {
		return tokens[ThreadLocalRandom.current().nextInt(tokens.length)];
	}

	/** Active within the window (distinct times, newest first) and a live, empty inbox each. */
	private void liveAndSeen(long[] users) {
		long now = System.currentTimeMillis();
		for (int from = 0; from < users.length; from += 1_000) {
			int begin = from;
			this.bench.redis().executePipelined((RedisCallback<Object>) c -> {
				for (int i = begin; i < Math.min(users.length, begin + 1_000); i++) {
					c.zSetCommands().zAdd(Fixture.bytes(RedisKeys.lastActive()), now - i, Fixture.bytes(Long.toString(users[i])));
					c.stringCommands().set(Fixture.bytes(RedisKeys.inboxFloor(users[i])), Fixture.bytes("0"));
					c.keyCommands().pExpire(Fixture.bytes(RedisKeys.inboxFloor(users[i])), 2 * 3_600_000L);
				}
				return null;
			});
		}
	}

	/** Polls the fans' inboxes until each holds the post; answers each fan's nanoseconds from {@code start}. */
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
