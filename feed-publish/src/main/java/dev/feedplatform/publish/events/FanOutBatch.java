package dev.feedplatform.publish.events;

import java.util.Arrays;

/**
 * One batch of fans that should receive a post in their inbox. Fan-out of a post is split
 * into such batches so workers on every instance share it and a failed batch is retried
 * alone. {@code occasional}: every fan of the batch is an occasional reader, whose inbox
 * keeps fewer ids (the planner knows each fan's last-active time, so the worker needn't
 * ask again; issue 19). JSON on the wire ({@code EventJson}).
 */
public record FanOutBatch(long postId, long authorId, long createdAtMs, long[] fans, boolean occasional) {

	/** A batch of fans with full inboxes. */
	public FanOutBatch(long postId, long authorId, long createdAtMs, long[] fans) {
		this(postId, authorId, createdAtMs, fans, false);
	}

	public static final String TOPIC = "feed-fanout-batch";

	/**
	 * A batch sent before events were JSON ({@code v1|post|author|createdMs|fan,fan,...},
	 * a sixth field {@code o} for an occasional batch; issue 20): read while a broker may
	 * still hold one.
	 */
	public static FanOutBatch fromText(String text) {
		boolean occasional = text.endsWith("|o");
		String[] f = (occasional ? text.substring(0, text.length() - 2) : text).split("\\|", -1);
		if (f.length != 5 || !"v1".equals(f[0])) {
			throw new IllegalArgumentException("not a v1 fan-out batch: " + text);
		}
		long[] fans = f[4].isEmpty() ? new long[0]
				: Arrays.stream(f[4].split(",")).mapToLong(Long::parseLong).toArray();
		return new FanOutBatch(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), fans, occasional);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof FanOutBatch b && b.postId == this.postId && b.authorId == this.authorId
				&& b.createdAtMs == this.createdAtMs && Arrays.equals(b.fans, this.fans)
				&& b.occasional == this.occasional;
	}

	@Override
	public int hashCode() {
		return Long.hashCode(this.postId) * 31 + Arrays.hashCode(this.fans);
	}

	@Override
	public String toString() {
		return "FanOutBatch[post=" + this.postId + ", fans=" + this.fans.length
				+ (this.occasional ? ", occasional" : "") + "]";
	}

}
