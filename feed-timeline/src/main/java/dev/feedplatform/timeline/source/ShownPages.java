package dev.feedplatform.timeline.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

import dev.feedplatform.common.paging.Page;
import dev.feedplatform.common.paging.PageRequest;
import dev.feedplatform.common.posts.PostSummary;
import dev.feedplatform.runtime.ports.PostRecord;
import org.springframework.stereotype.Component;

/**
 * A page of records that point at posts (a profile's posts, my likes, favorites,
 * history), newest first, showing only what a reader may see
 * ({@link PostSummaries#shown}). Records of hidden posts are read past, a few rounds at
 * most; when the rounds run out on them, the page comes back short with the last record
 * read as its cursor and {@code has_more}, so the client goes on past them.
 */
@Component
public class ShownPages {

	/** Records with ids below {@code belowId}, newest first, at most {@code limit}. */
	public interface Records {

		List<PostRecord> below(long belowId, int limit);

	}

	private static final int ROUNDS = 4;

	/**
	 * Records read past the page in a round, to absorb hidden posts without another
	 * round.
	 */
	private static final int SLACK = 5;

	private final PostSummaries summaries;

	ShownPages(PostSummaries summaries) {
		this.summaries = summaries;
	}

	/**
	 * The page: {@code item} makes an entry of a record and its post; {@code idOf} is an
	 * entry's cursor.
	 */
	public <T> Page<T> page(PageRequest request, Records records, BiFunction<PostRecord, PostSummary, T> item,
			ToLongFunction<T> idOf) {
		List<T> items = new ArrayList<>();
		long below = request.below();
		boolean more = true;
		for (int round = 0; round < ROUNDS && more && items.size() <= request.size(); round++) {
			int want = request.size() + 1 - items.size() + SLACK;
			List<PostRecord> found = records.below(below, want);
			Map<Long, PostSummary> shown = this.summaries.shown(found.stream().map(PostRecord::postId).toList());
			for (PostRecord record : found) {
				PostSummary post = shown.get(record.postId());
				if (post != null) {
					items.add(item.apply(record, post));
				}
			}
			more = found.size() >= want;
			if (!found.isEmpty()) {
				below = found.get(found.size() - 1).id();
			}
		}
		if (items.size() <= request.size() && more) {
			return new Page<>(List.copyOf(items), Long.toString(below), true);
		}
		return Page.fromOverfetch(items, request.size(), idOf);
	}

}
