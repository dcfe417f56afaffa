package dev.feedplatform.detailaggregator.page;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The cacheable part of a detail page: the post itself. Ids as strings, as clients get them. */
public record PostCore(String id, @JsonProperty("author_id") String authorId, String type, String title, String text, List<String> media,
		String cover, @JsonProperty("created_at") String createdAt, @JsonProperty("live_room_id") String liveRoomId) {

	long numericAuthorId() {
		return Long.parseLong(this.authorId);
	}

}
