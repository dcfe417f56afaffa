package dev.feedplatform.detailaggregator.comment;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A comment as clients see it; ids as strings. */
public record CommentView(String id, @JsonProperty("post_id") String postId, @JsonProperty("author_id") String authorId,
		String text, @JsonProperty("created_at") String createdAt) {
}
