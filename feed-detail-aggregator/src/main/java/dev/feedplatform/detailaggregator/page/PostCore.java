package dev.feedplatform.detailaggregator.page;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The cacheable part of a detail page: the post itself. Ids as strings, as clients get
 * them; {@code repost_of} only on a repost (issue 19).
 */
public record PostCore(String id, @JsonProperty("author_id") String authorId, String type, String title, String text,
		List<String> media, String cover, @JsonProperty("created_at") String createdAt,
		@JsonProperty("live_room_id") String liveRoomId,
		@JsonProperty("repost_of") @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String repostOf) {

	long numericAuthorId() {
		return Long.parseLong(this.authorId);
	}

}
