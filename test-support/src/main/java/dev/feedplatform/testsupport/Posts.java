package dev.feedplatform.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Post fixtures: a post published through the public API ({@code POST /api/posts}), as a
 * client would, so it is stored, in its author's outbox and fanned out like any other.
 */
public final class Posts {

	private Posts() {
	}

	/**
	 * Publishes a video post with this title.
	 * @return the post's id (a decimal string, as the API gives it)
	 */
	public static String publish(Api api, Users.TestUser author, String title) {
		Reply reply = api.post("/api/posts", author.token(),
				"{\"type\":\"VIDEO\",\"title\":\"" + title + "\",\"media\":[\"https://cdn.example/v.mp4\"]}");
		assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
		return reply.string("$.id");
	}

	/**
	 * Every post id on the reader's home timeline, page by page ({@code size=50}, at most
	 * 100 pages).
	 */
	public static java.util.Set<String> onTimeline(Api api, Users.TestUser reader) {
		java.util.Set<String> ids = new java.util.HashSet<>();
		String cursor = null;
		for (int page = 0; page < 100; page++) {
			Reply reply = api.get("/api/timeline?size=50" + (cursor == null ? "" : "&last_id=" + cursor),
					reader.token());
			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			ids.addAll(reply.strings("$.items[*].id"));
			if (!reply.<Boolean>json("$.has_more")) {
				break;
			}
			cursor = reply.string("$.last_id");
		}
		return ids;
	}

}
