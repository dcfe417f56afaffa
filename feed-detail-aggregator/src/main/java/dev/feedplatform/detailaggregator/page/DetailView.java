package dev.feedplatform.detailaggregator.page;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.feedplatform.detailaggregator.comment.CommentView;

/**
 * {@code GET /api/posts/{id}} per API.md, extended with {@code degraded}: the optional
 * parts left out (their fields are then null or empty) so clients can tell "no likes"
 * from "counts unavailable".
 */
public record DetailView(PostCore post, Author author, Counts counts, @JsonProperty("liked_by_me") Boolean likedByMe,
		List<CommentView> comments, List<String> degraded) {

	public record Author(String id, String nickname, long followers, long following,
			@JsonProperty("big_account") boolean bigAccount,
			@JsonProperty("followed_by_me") @JsonInclude(JsonInclude.Include.ALWAYS) Boolean followedByMe) {
	}

	public record Counts(long likes, long views, long favorites, long shares, long comments) {
	}

}
