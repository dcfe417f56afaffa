package dev.feedplatform.bench;

/**
 * Publish latency does not depend on audience: the creator with 20,000 fans and one with 10 publish
 * alternately over HTTP (so machine noise and the fan-out running behind hit both alike), and the
 * p99s are compared. The answer never waits for fan-out.
 */
final class PublishLatencyBench {

	private static final int WARM_UP = 10;

	private static final int MEASURED = 40;

	private final Bench bench;

	PublishLatencyBench(Bench bench) {
		this.bench = bench;
	}

	void run(long bigCreator) {
		Fixture fixture = this.bench.fixture();
		long smallCreator = fixture.users("small-creator", 1)[0];
		long[] fans = fixture.users("small-fan", 10);
		fixture.followedBy(smallCreator, fans);
		fixture.activeReaders(fans);
		String big = fixture.token(bigCreator);
		String small = fixture.token(smallCreator);
		Latencies bigLatencies = new Latencies();
		Latencies smallLatencies = new Latencies();
		for (int i = 0; i < WARM_UP + MEASURED; i++) {
			long t0 = System.nanoTime();
			this.bench.http().publish(big, "latency " + i);
			long t1 = System.nanoTime();
			this.bench.http().publish(small, "latency " + i);
			long t2 = System.nanoTime();
			if (i >= WARM_UP) {
				bigLatencies.record(t1 - t0);
				smallLatencies.record(t2 - t1);
			}
		}
		Report report = this.bench.report();
		report.add("publish", "publish p50, 20,000 fans vs 10 fans", Report.num(bigLatencies.percentileMs(50), "ms"),
				Report.num(smallLatencies.percentileMs(50), "ms"), Report.ratio(bigLatencies.percentileMs(50) / smallLatencies.percentileMs(50)), "");
		report.add("publish", "publish p99, 20,000 fans vs 10 fans", Report.num(bigLatencies.percentileMs(99), "ms"),
				Report.num(smallLatencies.percentileMs(99), "ms"), Report.ratio(bigLatencies.percentileMs(99) / smallLatencies.percentileMs(99)), "≤ 2×");
		this.bench.awaitFanOutQuiet();
	}

}
