package dev.feedplatform.searchsync.query;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.feedplatform.common.posts.PostSummary;

/**
 * A page of search results, paged like every page (API.md): pass {@code last_id} back as
 * {@code ?last_id=} for the next page; {@code has_more} is false when nothing follows.
 * Relevance order can't be resumed from a post id, so on search {@code last_id} is an
 * opaque cursor (the last hit's score and id and the clock the first page ranked
 * against); {@code cursor} carries the same value, for clients written against it (issue
 * 22: two ways to page, one of them looping).
 */
record SearchPage(List<PostSummary> items, @JsonProperty("last_id") String lastId,
		@JsonProperty("has_more") boolean hasMore, String cursor) {
}
