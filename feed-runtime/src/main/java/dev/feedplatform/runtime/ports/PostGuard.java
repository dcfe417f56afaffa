package dev.feedplatform.runtime.ports;

/**
 * The one rule for every write to a post — reactions, views, shares, comments, linking a
 * room, and later gifts and goods (issue 15): the post must exist, not be retracted by
 * its author and not be blacklisted by a moderator. Owned by the publish module (the
 * posts table).
 */
public interface PostGuard {

	/**
	 * Returns when the post takes writes.
	 * @throws dev.feedplatform.common.error.Problem 404 when it is missing, retracted or
	 * blacklisted
	 */
	void requireWritable(long postId);

}
