package dev.feedplatform.runtime.ports;

import java.util.List;
import java.util.Set;

/**
 * The follow graph and the big-account set, owned by the user module: the {@code follows}
 * table, {@code users.big_account}, the cached following sets
 * ({@code user:{id}:following}) and {@code users:big}. Fan-out, retraction, the timeline
 * and the detail page read them through here, never with SQL or keys of their own (issue
 * 20; Mastodon's {@code FeedManager} is the model of one owner per structure).
 */
public interface SocialGraph {

	/**
	 * Every account the user follows now: a follow or unfollow shows on the next call, on
	 * any instance.
	 */
	Set<Long> following(long follower);

	/** Whether {@code follower} follows {@code followee} now. */
	boolean follows(long follower, long followee);

	/**
	 * Up to {@code limit} followers of the account with ids above {@code afterId},
	 * ascending: one index range scan.
	 */
	List<Long> followersAfter(long accountId, long afterId, int limit);

	/**
	 * Whether the account is big (its posts are pulled, or pushed to its core fans only),
	 * as MariaDB says now.
	 */
	boolean isBig(long accountId);

	/**
	 * Which of the accounts are big, from the Redis set (MariaDB while the set is
	 * incomplete).
	 */
	Set<Long> bigAmong(Set<Long> accounts);

	/**
	 * Two version stamps for local copies, read in one round trip: the reader's
	 * following-set generation (moves at every follow or unfollow, before it answers) and
	 * the big-account version (moves at every promotion). A copy taken under equal stamps
	 * is current.
	 */
	Versions versions(long reader);

	/**
	 * The stamps of {@link #versions}; compared as strings ("null" while a counter is
	 * unset).
	 */
	record Versions(String generation, String bigVersion) {
	}

}
