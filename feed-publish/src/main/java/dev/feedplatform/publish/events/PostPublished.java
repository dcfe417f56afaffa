package dev.feedplatform.publish.events;

/**
 * A post was stored and added to its author's outbox; fan-out starts from here. JSON on
 * the wire ({@code EventJson}).
 *
 * @param bigAuthor whether the author was a big account at publish time (pulled, not
 * pushed)
 */
public record PostPublished(long postId, long authorId, long createdAtMs, boolean bigAuthor) {

	public static final String TOPIC = "feed-post-published";

	/**
	 * A message sent before events were JSON ({@code v1|post|author|createdMs|bigAuthor};
	 * issue 20): read while a broker may still hold one.
	 */
	public static PostPublished fromText(String text) {
		String[] f = text.split("\\|", -1);
		if (f.length != 5 || !"v1".equals(f[0])) {
			throw new IllegalArgumentException("not a v1 post-published event: " + text);
		}
		return new PostPublished(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), "1".equals(f[4]));
	}

}
