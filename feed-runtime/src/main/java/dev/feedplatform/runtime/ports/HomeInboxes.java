package dev.feedplatform.runtime.ports;

import java.time.Duration;
import java.util.List;

/**
 * Writing readers' home-timeline inboxes from outside the timeline module, which owns
 * them: their keys, their scripts and the rule "live while the floor key exists; trim to
 * the cap and raise the floor" live in one class there ({@code HomeInbox}), as Mastodon's
 * {@code FeedManager} keeps push, unpush, merge and trim together (issue 20). Fan-out
 * pushes, retraction unpushes, and big accounts' core-fan records (issue 19) go through
 * here.
 */
public interface HomeInboxes {

	/**
	 * Adds the post to each live inbox among {@code readers}, trimmed to the owner's cap
	 * for an occasional or a frequent reader. Idempotent.
	 * @return how many of the inboxes were live (and now hold the post)
	 */
	int push(long postId, long[] readers, boolean occasional);

	/**
	 * Removes the post from these readers' inboxes (a retraction); absent ones are fine.
	 */
	void unpush(long postId, List<Long> readers);

	/**
	 * Records, in each live inbox among {@code readers} that isn't being rebuilt, that
	 * every post of {@code accountId} with id &gt; {@code since} is pushed there (an
	 * existing record keeps its value), so its reader stops pulling that account above
	 * it.
	 */
	void recordCoreFan(long accountId, List<Long> readers, long since);

	/** Deletes those records: the readers pull the account again. */
	void dropCoreFan(long accountId, List<Long> readers);

	/**
	 * How long an inbox nobody reads stays live (pushed to) after its last read: the
	 * owner's {@code feed.fanout.active-days}. The fan-out planner pushes to fans seen
	 * within this plus a day, so a live inbox always belongs to a fan it counts as
	 * active.
	 */
	Duration liveWithoutReads();

}
