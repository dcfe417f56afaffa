package dev.feedplatform.common.events;

/** A stored post changed (its live room, say): readers that cache it drop their copy. */
public record PostChanged(long postId) {

	public static final String TOPIC = "feed-post-changed";

	/**
	 * A message sent before events were JSON ({@code v1|...}; issue 20): read while a
	 * broker may still hold one.
	 */
	public static PostChanged fromText(String text) {
		String[] f = EventText.fields(text, 2);
		return new PostChanged(Long.parseLong(f[1]));
	}

}
