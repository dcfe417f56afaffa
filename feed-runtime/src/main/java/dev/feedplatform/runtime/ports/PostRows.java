package dev.feedplatform.runtime.ports;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.feedplatform.common.posts.PostSummary;

/**
 * Reads of the {@code posts} rows, owned by the publish module (its {@code store} package
 * is the only code with SQL on them; issue 20). Uncached: callers keep their own caches
 * (counters' known posts, the timeline's hydration cache, the detail page's lease cache).
 *
 * <p>
 * The search sync is the one other reader: it joins posts, counts and the blacklist in
 * one consistent snapshot stamped with a binlog position, which no set of separate reads
 * can give.
 */
public interface PostRows {

	/** Which of the ids are posts, whatever their status. */
	Set<Long> existing(Collection<Long> ids);

	/**
	 * Summaries of the ids that are posts (no body, no media), with whether each is
	 * visible (not retracted). A repost's summary names its original in {@code repostOf},
	 * without the original.
	 */
	Map<Long, Summary> summaries(Collection<Long> ids);

	/**
	 * A visible post's whole content; empty when there is no such post or it was
	 * retracted.
	 */
	Optional<Content> visible(long id);

	/**
	 * Up to {@code limit} visible post ids of the authors in {@code (above, below)},
	 * newest first.
	 */
	List<Long> newestOf(Collection<Long> authors, long above, long below, int limit);

	/** A post's summary and whether it is visible. */
	record Summary(PostSummary summary, boolean visible) {
	}

	/**
	 * A post's content as stored.
	 *
	 * @param media URLs in order, empty for a repost
	 * @param liveRoomId the room linked to the post, or null
	 * @param repostOf the original's id for a repost, or null
	 */
	record Content(long id, long authorId, String type, String title, String body, List<String> media, String cover,
			Instant createdAt, Long liveRoomId, Long repostOf) {
	}

}
