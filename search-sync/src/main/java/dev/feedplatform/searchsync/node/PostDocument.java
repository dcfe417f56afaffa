package dev.feedplatform.searchsync.node;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A visible post as the search node holds it: the summary fields the API returns (so a
 * result page needs no database read), the analysed title and text, and the counts
 * popularity is ranked by. {@code fp} fingerprints everything else, so reconciliation can
 * spot a document that drifted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PostDocument(long id, @JsonProperty("author_id") long authorId, String type, String title, String text,
		String cover, @JsonProperty("live_room_id") Long liveRoomId, @JsonProperty("created_at") long createdAt,
		long likes, long favorites, long shares, long views, long comments, double popularity, String fp) {

	public static PostDocument of(long id, long authorId, String type, String title, String text, String cover,
			Long liveRoomId, long createdAt, long likes, long favorites, long shares, long views, long comments) {
		// Weighted by effort: a share or favorite says more than a like, a view least of
		// all.
		double popularity = likes + 2.0 * favorites + 3.0 * shares + 2.0 * comments + 0.1 * views;
		String fp = Integer.toHexString(Objects.hash(authorId, type, title, text, cover, liveRoomId, createdAt, likes,
				favorites, shares, views, comments));
		return new PostDocument(id, authorId, type, title, text, cover, liveRoomId, createdAt, likes, favorites, shares,
				views, comments, popularity, fp);
	}

	@JsonIgnore
	public String key() {
		return Long.toString(this.id);
	}

}
