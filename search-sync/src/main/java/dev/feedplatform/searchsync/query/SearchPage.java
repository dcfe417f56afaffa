package dev.feedplatform.searchsync.query;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.feedplatform.common.posts.PostSummary;

/**
 * A page of search results. {@code last_id} and {@code has_more} as on every page (API.md);
 * {@code cursor} is what to pass as {@code ?cursor=} for the next page, since relevance order
 * can't be resumed from an id alone.
 */
record SearchPage(List<PostSummary> items, @JsonProperty("last_id") String lastId, @JsonProperty("has_more") boolean hasMore,
		String cursor) {
}
