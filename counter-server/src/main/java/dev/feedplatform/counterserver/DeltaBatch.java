package dev.feedplatform.counterserver;

import java.util.ArrayList;
import java.util.List;

/**
 * One window's merged increments, as sent through RocketMQ (JSON, {@code EventJson}): one
 * delta per post, its counts in {@link CounterField} order. The id makes applying it
 * idempotent; the creation time measures lag. Before issue 20 the wire was text,
 * {@code v1|batchId|createdAtMs} then a line
 * {@code postId likes favorites shares views comments} per post.
 */
record DeltaBatch(String id, long createdAtMs, List<PostDelta> deltas) {

	static final String TOPIC = "feed-counter-deltas";

	record PostDelta(long postId, long[] counts) {

		/**
		 * A delta with another number of counts than there are fields is malformed
		 * (dropped, not retried).
		 */
		PostDelta {
			if (counts == null || counts.length != CounterField.ALL.length) {
				throw new IllegalArgumentException("a counter delta has " + CounterField.ALL.length + " counts");
			}
		}

	}

	/**
	 * A batch sent before events were JSON (issue 20): read while a broker may still hold
	 * one.
	 */
	static DeltaBatch fromText(String text) {
		String[] lines = text.split("\n");
		String[] head = lines[0].split("\\|", -1);
		if (head.length != 3 || !"v1".equals(head[0])) {
			throw new IllegalArgumentException("not a v1 counter batch: " + lines[0]);
		}
		List<PostDelta> deltas = new ArrayList<>(lines.length - 1);
		for (int i = 1; i < lines.length; i++) {
			String[] f = lines[i].split(" ");
			if (f.length != CounterField.ALL.length + 1) {
				throw new IllegalArgumentException("bad counter line: " + lines[i]);
			}
			long[] counts = new long[CounterField.ALL.length];
			for (int c = 0; c < counts.length; c++) {
				counts[c] = Long.parseLong(f[c + 1]);
			}
			deltas.add(new PostDelta(Long.parseLong(f[0]), counts));
		}
		return new DeltaBatch(head[1], Long.parseLong(head[2]), deltas);
	}

}
