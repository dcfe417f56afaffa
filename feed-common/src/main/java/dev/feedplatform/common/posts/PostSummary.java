package dev.feedplatform.common.posts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A post as timelines and profiles list it (API.md): ids as strings, {@code live_room_id} only
 * when the post links a live room.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PostSummary(String id, @JsonProperty("author_id") String authorId, String type, String title, String cover,
		@JsonProperty("created_at") String createdAt, @JsonProperty("live_room_id") String liveRoomId) {

	public long numericId() {
		return Long.parseLong(this.id);
	}

	public long numericAuthorId() {
		return Long.parseLong(this.authorId);
	}

}
