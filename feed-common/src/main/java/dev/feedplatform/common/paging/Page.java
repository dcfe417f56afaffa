package dev.feedplatform.common.paging;

import java.util.List;
import java.util.function.ToLongFunction;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One page as API.md shapes it: {@code {"items":[...],"last_id":"...","has_more":true}}.
 *
 * @param items the items, newest first
 * @param lastId the id of the last item as a string, or {@code null} when empty
 * @param hasMore whether asking again with this {@code last_id} can return more
 */
public record Page<T>(List<T> items, @JsonProperty("last_id") String lastId,
		@JsonProperty("has_more") boolean hasMore) {

	/**
	 * Builds a page from up to {@code size + 1} fetched items: the extra one only proves
	 * there is more.
	 */
	public static <T> Page<T> fromOverfetch(List<T> fetched, int size, ToLongFunction<T> idOf) {
		boolean more = fetched.size() > size;
		List<T> items = more ? List.copyOf(fetched.subList(0, size)) : List.copyOf(fetched);
		String last = items.isEmpty() ? null : Long.toString(idOf.applyAsLong(items.get(items.size() - 1)));
		return new Page<>(items, last, more);
	}

	public static <T> Page<T> empty() {
		return new Page<>(List.of(), null, false);
	}

}
