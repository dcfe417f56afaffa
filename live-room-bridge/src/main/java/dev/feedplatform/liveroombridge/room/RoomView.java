package dev.feedplatform.liveroombridge.room;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A room as clients see it (API.md, extended with its settings); ids as strings.
 * {@code rate} and {@code sample_keep} are null when the room takes the platform's
 * defaults.
 */
public record RoomView(String id, String title, @JsonProperty("post_id") String postId,
		@JsonProperty("owner_id") String ownerId, String status, int pools, Integer rate,
		@JsonProperty("sample_keep") Double sampleKeep) {

	static final String OPEN = "OPEN";

	static final String CLOSED = "CLOSED";

	RoomConfig config() {
		return new RoomConfig(this.pools, this.rate, this.sampleKeep);
	}

}
