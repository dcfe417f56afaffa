package dev.feedplatform.common.events;

/**
 * A follow edge was added or removed (after commit). The timeline backfills on follow.
 */
public record FollowChanged(long followerId, long followeeId, boolean following) {

	public static final String TOPIC = "feed-follow-changed";

	/**
	 * A message sent before events were JSON ({@code v1|...}; issue 20): read while a
	 * broker may still hold one.
	 */
	public static FollowChanged fromText(String text) {
		String[] f = EventText.fields(text, 4);
		return new FollowChanged(Long.parseLong(f[1]), Long.parseLong(f[2]), "1".equals(f[3]));
	}

}
