package dev.feedplatform.user.follow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.events.FollowChanged;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.common.paging.PageRequest;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.user.cache.CacheGeneration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The follow graph: MariaDB holds the edges, Redis a complete copy of each reader's following set
 * (bounded by {@code feed.max-following}), because the home timeline asks "whom do I follow" on
 * every read. The copy carries a sentinel member so an empty set is still a cached answer.
 */
@Component
public class FollowGraph {

	/** Sentinel member: marks a loaded set; user ids are never 0. */
	private static final String LOADED = "0";

	/** Following sets are read on every timeline read; an hour keeps active readers warm. */
	static final Duration TTL = Duration.ofHours(1);

	private final Follows follows;

	private final StringRedisTemplate redis;

	private final CacheGeneration generations;

	private final BigAccounts bigAccounts;

	private final RocketMq rocketMq;

	FollowGraph(Follows follows, StringRedisTemplate redis, CacheGeneration generations, BigAccounts bigAccounts, RocketMq rocketMq) {
		this.follows = follows;
		this.redis = redis;
		this.generations = generations;
		this.bigAccounts = bigAccounts;
		this.rocketMq = rocketMq;
	}

	/** @return whether this call created the edge */
	public boolean follow(long follower, long followee) {
		if (follower == followee) {
			throw Problem.badRequest("you can't follow yourself");
		}
		if (!this.follows.exists(followee)) {
			throw Problem.notFound("no user " + followee);
		}
		boolean added = this.follows.add(follower, followee);
		if (added) {
			invalidate(follower, followee);
			this.bigAccounts.followerAdded(followee);
			announce(new FollowChanged(follower, followee, true));
		}
		return added;
	}

	/** @return whether this call removed the edge */
	public boolean unfollow(long follower, long followee) {
		if (follower == followee) {
			throw Problem.badRequest("you can't unfollow yourself");
		}
		boolean removed = this.follows.remove(follower, followee);
		if (removed) {
			invalidate(follower, followee);
			announce(new FollowChanged(follower, followee, false));
		}
		return removed;
	}

	public boolean isFollowing(long follower, long followee) {
		if (!ensureLoaded(follower)) {
			return this.follows.isFollowing(follower, followee);
		}
		Double score = this.redis.opsForZSet().score(RedisKeys.following(follower), Long.toString(followee));
		return score != null;
	}

	/** Every account the user follows. */
	public Set<Long> following(long follower) {
		if (!ensureLoaded(follower)) {
			return new LinkedHashSet<>(this.follows.allFollowing(follower).stream().map(edge -> edge[0]).toList());
		}
		Set<String> members = this.redis.opsForZSet().range(RedisKeys.following(follower), 0, -1);
		Set<Long> ids = new LinkedHashSet<>();
		if (members != null) {
			members.stream().filter(m -> !LOADED.equals(m)).map(Long::valueOf).forEach(ids::add);
		}
		return ids;
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
	 * Makes sure the cached following set exists. A fill refused because the set changed during the
	 * load is tried once more; if that races too, the caller reads the database instead.
	 */
	private boolean ensureLoaded(long follower) {
		String key = RedisKeys.following(follower);
		for (int attempt = 0; attempt < 2; attempt++) {
			if (Boolean.TRUE.equals(this.redis.hasKey(key))) {
				return true;
			}
			String generation = this.generations.current(follower);
			List<String[]> pairs = new ArrayList<>();
			pairs.add(new String[] { "0", LOADED });
			for (long[] edge : this.follows.allFollowing(follower)) {
				pairs.add(new String[] { Long.toString(edge[1]), Long.toString(edge[0]) });
			}
			if (this.generations.fillSortedSetIfUnchanged(follower, generation, key, pairs, TTL)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * After commit: the timeline backfills on it. A broker outage doesn't undo the follow (the
	 * database is the truth, and reads filter by it); the backfill is then skipped and the
	 * followee's older posts appear once the reader's inbox is regenerated.
	 */
	private void announce(FollowChanged event) {
		try {
			this.rocketMq.send(FollowChanged.TOPIC, event.followerId() + "-" + event.followeeId(), event.encode());
		}
		catch (RuntimeException ex) {
			org.slf4j.LoggerFactory.getLogger(FollowGraph.class).warn("could not announce {}: {}", event, ex.toString());
		}
	}

	private void invalidate(long follower, long followee) {
		this.generations.invalidate(follower, RedisKeys.following(follower), RedisKeys.userProfile(follower));
		this.generations.invalidate(followee, RedisKeys.userProfile(followee));
	}

}
