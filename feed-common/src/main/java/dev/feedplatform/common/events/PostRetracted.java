package dev.feedplatform.common.events;

/** The author withdrew a post: it is blacklisted already; consumers clean outbox and inboxes. */
public record PostRetracted(long postId, long authorId) {

	public static final String TOPIC = "feed-post-retracted";

	public String encode() {
		return "v1|" + this.postId + "|" + this.authorId;
	}

	public static PostRetracted decode(String text) {
		String[] f = EventText.fields(text, 3);
		return new PostRetracted(Long.parseLong(f[1]), Long.parseLong(f[2]));
	}

}
