package dev.feedplatform.bench;

import java.util.Arrays;

/**
 * Delivery latency: a creator with 10,000 active fans publishes; for every fan, the time
 * from the publish request until the post is in that fan's inbox (from where the next
 * timeline read serves it, checked over HTTP for a sample). Observed by polling all
 * pending inboxes in pipelined rounds, so each figure is late by at most one polling
 * round (a few ms).
 */
final class DeliveryBench {

	static final int FANS = 10_000;

	private static final int POSTS = 5;

	private final Bench bench;

	DeliveryBench(Bench bench) {
		this.bench = bench;
	}

	void run() {
		Fixture fixture = this.bench.fixture();
		Fixture.Audience audience = fixture.creatorWithActiveFans("delivery", FANS);
		long creator = audience.creator();
		long[] fans = audience.fans();
		String token = fixture.token(creator);
		this.bench.http().publish(token, "warm-up");
		this.bench.awaitFanOutQuiet();
		Latencies delivered = new Latencies();
		for (int p = 0; p < POSTS; p++) {
			long start = System.nanoTime();
			long post = this.bench.http().publish(token, "delivery " + p);
			long[] pending = fans;
			while (pending.length > 0) {
				if (System.nanoTime() - start > 60_000_000_000L) {
					throw new IllegalStateException(pending.length + " fans never received post " + post);
				}
				boolean[] holds = this.bench.inboxesHold(pending, post);
				long now = System.nanoTime();
				long[] still = new long[pending.length];
				int n = 0;
				for (int i = 0; i < pending.length; i++) {
					if (holds[i]) {
						delivered.record(now - start);
					}
					else {
						still[n++] = pending[i];
					}
				}
				pending = Arrays.copyOf(still, n);
			}
			for (int s = 0; s < 3; s++) {
				String page = this.bench.http().get("/api/timeline?size=5", fixture.token(fans[s * 997]));
				if (!Long.toString(post).equals(Http.firstId(page))) {
					throw new IllegalStateException(
							"post " + post + " is in the inbox but not first on the timeline: " + page);
				}
			}
			this.bench.awaitFanOutQuiet();
		}
		Report report = this.bench.report();
		report.add("delivery", "publish → in a fan's timeline, p50 (10,000 fans × 5 posts)",
				Report.num(delivered.percentileMs(50), "ms"), "", "", "");
		report.add("delivery", "publish → in a fan's timeline, p99", Report.num(delivered.percentileMs(99), "ms"), "",
				"", "≤ 1,000 ms");
	}

}
