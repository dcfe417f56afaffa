package dev.feedplatform.common.events;

/**
 * The author withdrew a post: it is blacklisted already; consumers clean outbox and
 * inboxes.
 */
public record PostRetracted(long postId, long authorId) {

	public static final String TOPIC = "feed-post-retracted";

	/**
	 * A message sent before events were JSON ({@code v1|...}; issue 20): read while a
	 * broker may still hold one.
	 */
	public static PostRetracted fromText(String text) {
		String[] f = EventText.fields(text, 3);
		return new PostRetracted(Long.parseLong(f[1]), Long.parseLong(f[2]));
	}

}
