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

}
