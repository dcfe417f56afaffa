package dev.feedplatform.publish.post;

import java.net.URI;
import java.util.List;

import dev.feedplatform.publish.store.NewPost;
import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.error.Require;

/** {@code POST /api/posts} body; validates itself against API.md's limits. */
record PostRequest(String type, String title, String text, List<String> media, String cover) {

	static final int MAX_TITLE = 200;

	static final int MAX_TEXT = 10_000;

	/**
	 * A short video has one file; an image post at most a 3x3 grid plus room for a long
	 * strip.
	 */
	static final int MAX_MEDIA = 20;

	static final int MAX_URL = 1024;

	NewPost validate() {
		Require.present(this.type, "type");
		if (!this.type.equals("VIDEO") && !this.type.equals("IMAGE")) {
			throw Problem.badRequest("type must be VIDEO or IMAGE");
		}
		String title = Require.text(this.title, "title", MAX_TITLE).strip();
		Require.maxLength(this.text, "text", MAX_TEXT);
		if (this.media == null || this.media.isEmpty()) {
			throw Problem.badRequest("media must list at least one URL");
		}
		if (this.media.size() > MAX_MEDIA) {
			throw Problem.badRequest("media lists more than " + MAX_MEDIA + " URLs");
		}
		this.media.forEach(url -> url(url, "media"));
		if (this.cover != null) {
			url(this.cover, "cover");
		}
		return new NewPost(this.type, title, this.text, List.copyOf(this.media), this.cover);
	}

	private static void url(String url, String field) {
		Require.wellFormed(url, field);
		if (url == null || url.isEmpty() || url.length() > MAX_URL || url.chars().anyMatch(Character::isWhitespace)) {
			throw Problem.badRequest(field + " must hold http(s) URLs of at most " + MAX_URL + " characters");
		}
		try {
			URI uri = new URI(url);
			if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
				throw Problem.badRequest(field + " must hold http(s) URLs");
			}
		}
		catch (java.net.URISyntaxException ex) {
			throw Problem.badRequest(field + " holds a malformed URL");
		}
	}

}
