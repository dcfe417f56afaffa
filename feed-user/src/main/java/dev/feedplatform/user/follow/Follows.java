package dev.feedplatform.user.follow;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.runtime.retry.LockConflicts;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Follow edges and the counts they move, in MariaDB. The edge's primary key makes a
 * follow idempotent under any concurrency: of 50 identical requests one inserts and the
 * rest find the row, so counts move exactly once. Both users' rows are updated in id
 * order, so A-follows-B racing B-follows-A can't deadlock; a lock conflict elsewhere is
 * retried ({@link LockConflicts}).
 */
@Repository
class Follows {

	private final FollowMapper db;

	private final TransactionTemplate tx;

	private final GraphSettings settings;

	private final LockConflicts lockConflicts;

	Follows(FollowMapper db, TransactionTemplate tx, GraphSettings settings, LockConflicts lockConflicts) {
		this.db = db;
		this.tx = tx;
		this.settings = settings;
		this.lockConflicts = lockConflicts;
	}

	/**
	 * @return whether an edge was added (false if it existed)
	 */
	boolean add(long follower, long followee) {
		return this.lockConflicts.retry(() -> this.tx.execute(status -> {
			Long following = this.db.followingCount(follower);
			if (following == null) {
				throw Problem.notFound("no user " + follower);
			}
			if (following >= this.settings.maxFollowing()) {
				throw Problem.conflict("following limit of " + this.settings.maxFollowing() + " accounts reached");
			}
			int added = this.db.insert(follower, followee);
			if (added == 1) {
				moveCounts(follower, followee, 1);
			}
			return added == 1;
		}));
	}

	/**
	 * @return whether an edge was removed
	 */
	boolean remove(long follower, long followee) {
		return this.lockConflicts.retry(() -> this.tx.execute(status -> {
			int removed = this.db.delete(follower, followee);
			if (removed == 1) {
				moveCounts(follower, followee, -1);
			}
			return removed == 1;
		}));
	}

	private void moveCounts(long follower, long followee, int delta) {
		// Lower id first: every transaction locks the two rows in the same order.
		if (follower < followee) {
			moveFollowing(follower, delta);
			moveFollowers(followee, delta);
		}
		else {
			moveFollowers(followee, delta);
			moveFollowing(follower, delta);
		}
	}

	private void moveFollowing(long userId, int delta) {
		this.db.moveFollowing(userId, delta);
	}

	private void moveFollowers(long userId, int delta) {
		this.db.moveFollowers(userId, delta, this.settings.bigAccountThreshold());
	}

	boolean exists(long userId) {
		return this.db.users(userId) > 0;
	}

	boolean isFollowing(long follower, long followee) {
		return this.db.edges(follower, followee) > 0;
	}

	/**
	 * Which of {@code candidates} the follower follows: one indexed query for a whole
	 * page.
	 */
	Set<Long> followedAmong(long follower, Collection<Long> candidates) {
		if (candidates.isEmpty()) {
			return Set.of();
		}
		return new HashSet<>(this.db.followedAmong(follower, candidates));
	}

	/**
	 * Follower ids of a user below a cursor, highest first: one range scan of the
	 * followee index.
	 */
	List<Long> followersBelow(long followee, long belowId, int limit) {
		return this.db.followersBelow(followee, belowId, limit);
	}

	/**
	 * Up to {@code limit} followers of the account with ids above {@code afterId},
	 * ascending: one range scan of the followee index.
	 */
	List<Long> followersAfter(long followee, long afterId, int limit) {
		return this.db.followersAfter(followee, afterId, limit);
	}

	/**
	 * Followee ids of a user below a cursor, highest first: one range scan of the primary
	 * key.
	 */
	List<Long> followingBelow(long follower, long belowId, int limit) {
		return this.db.followingBelow(follower, belowId, limit);
	}

}
