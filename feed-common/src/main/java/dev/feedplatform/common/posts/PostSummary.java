package dev.feedplatform.common.posts;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A post as timelines and profiles list it (API.md): ids as strings, {@code live_room_id}
 * only when the post links a live room. A repost (issue 19, seed 003 转发) has
 * {@code "type":"REPOST"}, {@code repost_of} (always an original: reposting a repost
 * reposts its original) and the original's summary as {@code original}; when a timeline
 * page folds several reposts of one original into one item, {@code reposted_by} names the
 * reposters it folded in.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PostSummary(String id, @JsonProperty("author_id") String authorId, String type, String title,
		String cover, @JsonProperty("created_at") String createdAt, @JsonProperty("live_room_id") String liveRoomId,
		@JsonProperty("repost_of") String repostOf, PostSummary original,
		@JsonProperty("reposted_by") List<String> repostedBy) {

	public static final String REPOST = "REPOST";

	/** A post that is not a repost. */
	public PostSummary(String id, String authorId, String type, String title, String cover, String createdAt,
			String liveRoomId) {
		this(id, authorId, type, title, cover, createdAt, liveRoomId, null, null, null);
	}

	public long numericId() {
		return Long.parseLong(this.id);
	}

	public long numericAuthorId() {
		return Long.parseLong(this.authorId);
	}

	/** The post a reader sees through this one: the original of a repost, else itself. */
	@JsonIgnore
	public long contentId() {
		return this.repostOf == null ? numericId() : Long.parseLong(this.repostOf);
	}

	/** This repost with its original's summary embedded. */
	public PostSummary withOriginal(PostSummary summary) {
		return new PostSummary(this.id, this.authorId, this.type, this.title, this.cover, this.createdAt,
				this.liveRoomId, this.repostOf, summary, this.repostedBy);
	}

	/** This item with one more reposter folded into it. */
	public PostSummary withReposter(String userId) {
		List<String> by = new ArrayList<>(this.repostedBy == null ? List.of() : this.repostedBy);
		if (!by.contains(userId)) {
			by.add(userId);
		}
		return new PostSummary(this.id, this.authorId, this.type, this.title, this.cover, this.createdAt,
				this.liveRoomId, this.repostOf, this.original, List.copyOf(by));
	}

}
