package dev.feedplatform.common.events;

import java.util.Arrays;

/**
 * One batch of fans that should receive a post in their inbox. Fan-out of a post is split into
 * such batches so workers on every instance share it and a failed batch is retried alone.
 * {@code occasional}: every fan of the batch is an occasional reader, whose inbox keeps fewer ids
 * (the planner knows each fan's last-active time, so the worker needn't ask again; issue 19). On
 * the wire a sixth field {@code o} marks it; a batch without it reads as not occasional.
 */
public record FanOutBatch(long postId, long authorId, long createdAtMs, long[] fans, boolean occasional) {

	/** A batch of fans with full inboxes. */
	public FanOutBatch(long postId, long authorId, long createdAtMs, long[] fans) {
		this(postId, authorId, createdAtMs, fans, false);
	}

	public static final String TOPIC = "feed-fanout-batch";

	public String encode() {
		StringBuilder out = new StringBuilder(32 + this.fans.length * 16);
		out.append("v1|").append(this.postId).append('|').append(this.authorId).append('|').append(this.createdAtMs).append('|');
		for (int i = 0; i < this.fans.length; i++) {
			if (i > 0) {
				out.append(',');
			}
			out.append(this.fans[i]);
		}
		if (this.occasional) {
			out.append("|o");
		}
		return out.toString();
	}

	public static FanOutBatch decode(String text) {
		boolean occasional = text.endsWith("|o");
		String[] f = EventText.fields(occasional ? text.substring(0, text.length() - 2) : text, 5);
		long[] fans = f[4].isEmpty() ? new long[0] : Arrays.stream(f[4].split(",")).mapToLong(Long::parseLong).toArray();
		return new FanOutBatch(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), fans, occasional);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof FanOutBatch b && b.postId == this.postId && b.authorId == this.authorId
				&& b.createdAtMs == this.createdAtMs && Arrays.equals(b.fans, this.fans) && b.occasional == this.occasional;
	}

	@Override
	public int hashCode() {
		return Long.hashCode(this.postId) * 31 + Arrays.hashCode(this.fans);
	}

	@Override
	public String toString() {
		return "FanOutBatch[post=" + this.postId + ", fans=" + this.fans.length + (this.occasional ? ", occasional" : "") + "]";
	}

}
