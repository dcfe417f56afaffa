package dev.feedplatform.common.events;

/** A stored post changed (its live room, say): readers that cache it drop their copy. */
public record PostChanged(long postId) {

	public static final String TOPIC = "feed-post-changed";

	public String encode() {
		return "v1|" + this.postId;
	}

	public static PostChanged decode(String text) {
		String[] f = EventText.fields(text, 2);
		return new PostChanged(Long.parseLong(f[1]));
	}

}
