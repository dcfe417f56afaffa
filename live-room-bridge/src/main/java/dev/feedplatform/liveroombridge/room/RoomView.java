package dev.feedplatform.liveroombridge.room;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A room as clients see it (API.md); ids as strings. */
public record RoomView(String id, String title, @JsonProperty("post_id") String postId, @JsonProperty("owner_id") String ownerId,
		String status) {

	static final String OPEN = "OPEN";

	static final String CLOSED = "CLOSED";

}
