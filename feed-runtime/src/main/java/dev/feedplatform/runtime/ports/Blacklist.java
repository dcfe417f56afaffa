package dev.feedplatform.runtime.ports;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Posts that no read path may show: retracted by their author (until cleanup finished) or
 * removed by a moderator. Owned by the publish module (the {@code post_blacklist} table
 * and its Redis copy); the detail page, moderation, timeline hydration and search read
 * and write it through this port (issue 20).
 */
public interface Blacklist {

	/** Reason of an author's retraction, lifted by the retraction's cleanup. */
	String RETRACTED = "retracted";

	/** Reason of a moderator's block; it outlives a retraction cleanup. */
	String MODERATED = "moderated";

	/** The ids among {@code postIds} that must not be shown (one Redis round trip). */
	Set<Long> blocked(Collection<Long> postIds);

	default boolean isBlocked(long postId) {
		return !blocked(List.of(postId)).isEmpty();
	}

	/**
	 * Blacklists the post for {@code reason}, database first: once this returns, a Redis
	 * restart can't bring the post back. A moderator's reason is never replaced by a
	 * retraction's.
	 */
	void add(long postId, String reason);

	/**
	 * Removes the entry only if it is still there for {@code reason}: a moderator's block
	 * outlives a retraction cleanup.
	 */
	void remove(long postId, String reason);

}
