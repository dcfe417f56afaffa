package dev.feedplatform.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.data.redis.core.RedisCallback;

/**
 * Fan-out throughput: a creator with 20,000 active fans publishes over HTTP; the clock
 * runs from the request until every inbox holds the post (the platform's inbox-write
 * counter reaches 20,000, then a pipelined check of all 20,000 inboxes confirms it). The
 * baseline is the floor of what any push design costs: raw pipelined ZADD of one member
 * into 20,000 keys of the same shape, from this JVM into the same Redis, in batches of
 * the same size.
 */
final class FanOutBench {

	static final int FANS = 20_000;

	private static final int ROUNDS = 5;

	private final Bench bench;

	FanOutBench(Bench bench) {
		this.bench = bench;
	}

	/**
	 * @return the creator and its fans, for the publish-latency benchmark
	 */
	long[][] run() {
		Fixture fixture = this.bench.fixture();
		Fixture.Audience audience = fixture.creatorWithActiveFans("fanout", FANS);
		long creator = audience.creator();
		long[] fans = audience.fans();
		String token = fixture.token(creator);
		this.bench.http().publish(token, "warm-up");
		this.bench.awaitFanOutQuiet();

		// Interleaved rounds: raw ZADD, then a post, each round; the ratio is the median
		// of the
		// per-round ratios, so both sides of a ratio ran under the same conditions (issue
		// 19).
		List<Double> endToEndMs = new ArrayList<>();
		List<Double> ratios = new ArrayList<>();
		List<Double> raws = new ArrayList<>();
		Latencies wholePost = new Latencies();
		// CPU-seconds by role, fan-out phases only
		Map<String, Double> cpuUsed = new java.util.HashMap<>();
		for (int round = 0; round < ROUNDS; round++) {
			double raw = rawZadd(fans, fixture.nextId());
			double before = this.bench.inboxWrites();
			Map<String, Double> cpuStart = ProcessCpu.snapshot();
			long start = System.nanoTime();
			long post = this.bench.http().publish(token, "fan-out " + round);
			if (!Bench.await(120_000, () -> this.bench.inboxWrites() - before >= FANS)) {
				throw new IllegalStateException("fan-out did not reach " + FANS + " inboxes in 120 s");
			}
			long elapsed = System.nanoTime() - start;
			Map<String, Double> cpuEnd = ProcessCpu.snapshot();
			double ms = elapsed / 1e6;
			boolean[] holds = this.bench.inboxesHold(fans, post);
			for (int i = 0; i < holds.length; i++) {
				if (!holds[i]) {
					throw new IllegalStateException("fan " + fans[i] + " lacks post " + post);
				}
			}
			endToEndMs.add(ms);
			raws.add(raw);
			ratios.add(FANS / (ms / 1000) / raw);
			wholePost.record(elapsed);
			cpuEnd.forEach(
					(role, seconds) -> cpuUsed.merge(role, seconds - cpuStart.getOrDefault(role, 0.0), Double::sum));
		}
		double medianMs = Rounds.median(endToEndMs);
		double medianPerSecond = FANS / (medianMs / 1000);
		Report report = this.bench.report();
		String rounds = " (median of " + ROUNDS + " interleaved rounds, spread)";
		report.add("fan-out", "publish → all 20,000 inboxes hold the post" + rounds, Rounds.spread(endToEndMs, "ms"),
				"", "", "");
		report.add("fan-out", "inbox writes/s end to end vs raw pipelined ZADD" + rounds,
				Report.num(medianPerSecond, "/s"), Rounds.spread(raws, "ZADD/s"), Rounds.ratioSpread(ratios), "≥ 0.5×");
		report.add("fan-out", "CPU while fanning out (per second of fan-out, all rounds)",
				ProcessCpu.between(Map.of(), cpuUsed, wallOf(endToEndMs)), "", "", "");
		report.plotLatency("fan-out: publish → all 20,000 inboxes", wholePost);
		cleanRaw(fans);
		return new long[][] { { creator }, fans };
	}

	/**
	 * Raw pipelined ZADD into FANS keys shaped like inboxes; answers writes per second.
	 */
	private double rawZadd(long[] fans, long postId) {
		byte[] member = Fixture.bytes(Long.toString(postId));
		long start = System.nanoTime();
		for (int from = 0; from < fans.length; from += 500) {
			int begin = from;
			this.bench.redis().executePipelined((RedisCallback<Object>) c -> {
				for (int i = begin; i < Math.min(fans.length, begin + 500); i++) {
					c.zSetCommands().zAdd(Fixture.bytes(rawKey(fans[i])), postId, member);
				}
				return null;
			});
		}
		return fans.length / ((System.nanoTime() - start) / 1e9);
	}

	private static double wallOf(List<Double> ms) {
		return ms.stream().mapToDouble(Double::doubleValue).sum() / 1000;
	}

	private void cleanRaw(long[] fans) {
		this.bench.redis().executePipelined((RedisCallback<Object>) c -> {
			for (long fan : fans) {
				c.keyCommands().del(Fixture.bytes(rawKey(fan)));
			}
			return null;
		});
	}

	private static String rawKey(long fan) {
		return RedisKeys.inbox(fan) + "-raw";
	}

}
