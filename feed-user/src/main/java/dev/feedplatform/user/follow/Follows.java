package dev.feedplatform.user.follow;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.runtime.retry.LockConflicts;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Follow edges and the counts they move, in MariaDB. The edge's primary key makes a follow
 * idempotent under any concurrency: of 50 identical requests one inserts and the rest find the row,
 * so counts move exactly once. Both users' rows are updated in id order, so A-follows-B racing
 * B-follows-A can't deadlock; a lock conflict elsewhere is retried ({@link LockConflicts}).
 */
@Repository
class Follows {

	private final JdbcClient db;

	private final TransactionTemplate tx;

	private final GraphSettings settings;

	private final LockConflicts lockConflicts;

	Follows(JdbcClient db, TransactionTemplate tx, GraphSettings settings, LockConflicts lockConflicts) {
		this.db = db;
		this.tx = tx;
		this.settings = settings;
		this.lockConflicts = lockConflicts;
	}

	/** @return whether an edge was added (false if it existed) */
	boolean add(long follower, long followee) {
		return this.lockConflicts.retry(() -> this.tx.execute(status -> {
			long following = this.db.sql("SELECT following_count FROM users WHERE id = ?").param(follower).query(Long.class).single();
			if (following >= this.settings.maxFollowing()) {
				throw Problem.conflict("following limit of " + this.settings.maxFollowing() + " accounts reached");
			}
			int added = this.db.sql("INSERT IGNORE INTO follows (follower_id, followee_id) VALUES (?, ?)").params(follower, followee).update();
			if (added == 1) {
				moveCounts(follower, followee, 1);
			}
			return added == 1;
		}));
	}

	/** @return whether an edge was removed */
	boolean remove(long follower, long followee) {
		return this.lockConflicts.retry(() -> this.tx.execute(status -> {
			int removed = this.db.sql("DELETE FROM follows WHERE follower_id = ? AND followee_id = ?").params(follower, followee).update();
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
		this.db.sql("UPDATE users SET following_count = following_count + ? WHERE id = ?").params(delta, userId).update();
	}

	private void moveFollowers(long userId, int delta) {
		// MariaDB assigns left to right, so big_account sees the new count. Never reset: promotion is sticky.
		this.db.sql("UPDATE users SET followers_count = followers_count + ?, big_account = GREATEST(big_account, followers_count >= ?) WHERE id = ?")
			.params(delta, this.settings.bigAccountThreshold(), userId)
			.update();
	}

	boolean exists(long userId) {
		return this.db.sql("SELECT COUNT(*) FROM users WHERE id = ?").param(userId).query(Long.class).single() > 0;
	}

	boolean isFollowing(long follower, long followee) {
		return this.db.sql("SELECT COUNT(*) FROM follows WHERE follower_id = ? AND followee_id = ?")
			.params(follower, followee).query(Long.class).single() > 0;
	}

	/** Which of {@code candidates} the follower follows: one indexed query for a whole page. */
	Set<Long> followedAmong(long follower, Collection<Long> candidates) {
		if (candidates.isEmpty()) {
			return Set.of();
		}
		return new HashSet<>(this.db.sql("SELECT followee_id FROM follows WHERE follower_id = :f AND followee_id IN (:ids)")
			.param("f", follower).param("ids", candidates).query(Long.class).list());
	}

	/** Follower ids of a user below a cursor, highest first: one range scan of the followee index. */
	List<Long> followersBelow(long followee, long belowId, int limit) {
		return this.db.sql("SELECT follower_id FROM follows WHERE followee_id = ? AND follower_id < ? ORDER BY follower_id DESC LIMIT ?")
			.params(followee, belowId, limit).query(Long.class).list();
	}

	/** Up to {@code limit} followers of the account with ids above {@code afterId}, ascending: one range scan of the followee index. */
	List<Long> followersAfter(long followee, long afterId, int limit) {
		return this.db.sql("SELECT follower_id FROM follows WHERE followee_id = ? AND follower_id > ? ORDER BY follower_id LIMIT ?")
			.params(followee, afterId, limit).query(Long.class).list();
	}

	/** Followee ids of a user below a cursor, highest first: one range scan of the primary key. */
	List<Long> followingBelow(long follower, long belowId, int limit) {
		return this.db.sql("SELECT followee_id FROM follows WHERE follower_id = ? AND followee_id < ? ORDER BY followee_id DESC LIMIT ?")
			.params(follower, belowId, limit).query(Long.class).list();
	}

}
