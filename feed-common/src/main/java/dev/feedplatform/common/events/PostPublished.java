package dev.feedplatform.common.events;

/**
 * A post was stored and added to its author's outbox; fan-out starts from here. Versioned text
 * encoding ({@code v1|post|author|createdMs|bigAuthor}): tiny, and readable in broker tools.
 *
 * @param bigAuthor whether the author was a big account at publish time (pulled, not pushed)
 */
public record PostPublished(long postId, long authorId, long createdAtMs, boolean bigAuthor) {

	public static final String TOPIC = "feed-post-published";

	public String encode() {
		return "v1|" + this.postId + "|" + this.authorId + "|" + this.createdAtMs + "|" + (this.bigAuthor ? 1 : 0);
	}

	public static PostPublished decode(String text) {
		String[] f = EventText.fields(text, 5);
		return new PostPublished(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), "1".equals(f[4]));
	}

}
