package dev.feedplatform.user.follow;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import dev.feedplatform.runtime.messaging.EventJson;
import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.events.FollowChanged;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.common.paging.PageRequest;
import dev.feedplatform.runtime.cache.CacheGeneration;
import dev.feedplatform.runtime.messaging.RocketMq;
import org.springframework.stereotype.Component;

/**
 * The follow graph: MariaDB holds the edges, Redis a complete copy of each reader's
 * following set (bounded by {@code feed.max-following}, kept by {@link FollowingSet}),
 * because the home timeline asks "whom do I follow" on every read. Every change
 * invalidates the copy after its commit.
 */
@Component
public class FollowGraph {

	private final Follows follows;

	private final FollowingSet followingSet;

	private final CacheGeneration generations;

	private final BigAccounts bigAccounts;

	private final RocketMq rocketMq;

	FollowGraph(Follows follows, FollowingSet followingSet, CacheGeneration generations, BigAccounts bigAccounts,
			RocketMq rocketMq) {
		this.follows = follows;
		this.followingSet = followingSet;
		this.generations = generations;
		this.bigAccounts = bigAccounts;
		this.rocketMq = rocketMq;
	}

	/**
	 * @return whether this call created the edge
	 */
	public boolean follow(long follower, long followee) {
		if (follower == followee) {
			throw Problem.badRequest("you can't follow yourself");
		}
		if (!this.follows.exists(followee)) {
			throw Problem.notFound("no user " + followee);
		}
		boolean added = this.follows.add(follower, followee);
		if (added) {
			this.bigAccounts.followerAdded(followee);
		}
		// Also when the edge was there already: a retry after a failure past the commit
		// (Redis or
		// the broker down) must still invalidate the caches and announce, or the reader's
		// live
		// inbox never gets the followee's posts (found by bin/platform chaos; issue 14).
		// Both are
		// idempotent.
		invalidate(follower, followee);
		announce(new FollowChanged(follower, followee, true));
		return added;
	}

	/**
	 * @return whether this call removed the edge
	 */
	public boolean unfollow(long follower, long followee) {
		if (follower == followee) {
			throw Problem.badRequest("you can't unfollow yourself");
		}
		boolean removed = this.follows.remove(follower, followee);
		invalidate(follower, followee); // also on a retry, as for follow
		announce(new FollowChanged(follower, followee, false));
		return removed;
	}

	public boolean isFollowing(long follower, long followee) {
		return this.followingSet.contains(follower, followee);
	}

	/** Every account the user follows. */
	public Set<Long> following(long follower) {
		return this.followingSet.of(follower);
	}

	public Set<Long> followedAmong(long follower, Collection<Long> candidates) {
		return this.follows.followedAmong(follower, candidates);
	}

	public List<Long> followersPage(long userId, PageRequest page) {
		return this.follows.followersBelow(userId, page.below(), page.size() + 1);
	}

	public List<Long> followingPage(long userId, PageRequest page) {
		return this.follows.followingBelow(userId, page.below(), page.size() + 1);
	}

	/**
	 * After commit: the timeline backfills the reader's live inbox on it. A broker outage
	 * doesn't undo the follow (the database is the truth) but fails the call (503), so
	 * the client's retry — idempotent, and announcing again — gets the backfill done;
	 * skipping it silently left a live inbox without the followee's earlier posts for as
	 * long as the reader kept reading.
	 */
	private void announce(FollowChanged event) {
		this.rocketMq.send(FollowChanged.TOPIC, event.followerId() + "-" + event.followeeId(), EventJson.encode(event));
	}

	private void invalidate(long follower, long followee) {
		this.generations.invalidate(follower, RedisKeys.following(follower), RedisKeys.userProfile(follower));
		this.generations.invalidate(followee, RedisKeys.userProfile(followee));
	}

}
