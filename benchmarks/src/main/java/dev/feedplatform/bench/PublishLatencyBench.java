package dev.feedplatform.bench;

/**
 * Publish latency does not depend on audience: the creator with 20,000 fans and one with
 * 10 publish alternately over HTTP, and their p50/p99 are compared. Twice: paced (each
 * pair once the previous fan-out finished: how creators really post) and back to back
 * (the 20,000-fan fan-outs pile up and compete with the publishes for the same two
 * cores). The answer never waits for fan-out.
 */
final class PublishLatencyBench {

	private static final int WARM_UP = 5;

	private static final int MEASURED = 30;

	private final Bench bench;

	PublishLatencyBench(Bench bench) {
		this.bench = bench;
	}

	void run(long bigCreator) {
		Fixture fixture = this.bench.fixture();
		long smallCreator = fixture.creatorWithActiveFans("small", 10).creator();
		String big = fixture.token(bigCreator);
		String small = fixture.token(smallCreator);
		measure("paced", big, small, true);
		measure("back to back", big, small, false);
		this.bench.awaitFanOutQuiet();
	}

	/** One publish; paced, it then waits until its fan-out reached every fan. */
	private long publish(String token, int i, int fans) {
		double before = this.bench.inboxWrites();
		long start = System.nanoTime();
		this.bench.http().publish(token, "latency " + i);
		long took = System.nanoTime() - start;
		if (fans > 0 && !Bench.await(60_000, () -> this.bench.inboxWrites() - before >= fans)) {
			throw new IllegalStateException("fan-out of a paced publish did not finish in 60 s");
		}
		return took;
	}

	private void measure(String mode, String big, String small, boolean paced) {
		Latencies bigLatencies = new Latencies();
		Latencies smallLatencies = new Latencies();
		for (int i = 0; i < WARM_UP + MEASURED; i++) {
			long bigNanos = publish(big, i, paced ? FanOutBench.FANS : 0);
			long smallNanos = publish(small, i, paced ? 10 : 0);
			if (i >= WARM_UP) {
				bigLatencies.record(bigNanos);
				smallLatencies.record(smallNanos);
			}
		}
		Report report = this.bench.report();
		report.add("publish", "publish p50, 20,000 fans vs 10 fans, " + mode,
				Report.num(bigLatencies.percentileMs(50), "ms"), Report.num(smallLatencies.percentileMs(50), "ms"),
				Report.ratio(bigLatencies.percentileMs(50) / smallLatencies.percentileMs(50)), "");
		report.add("publish", "publish p99, 20,000 fans vs 10 fans, " + mode,
				Report.num(bigLatencies.percentileMs(99), "ms"), Report.num(smallLatencies.percentileMs(99), "ms"),
				Report.ratio(bigLatencies.percentileMs(99) / smallLatencies.percentileMs(99)), "≤ 2×");
	}

}
