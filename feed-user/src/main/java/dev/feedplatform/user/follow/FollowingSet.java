package dev.feedplatform.user.follow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.cache.CacheGeneration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * A reader's complete following set, cached in Redis as a sorted set (member followee,
 * score the time followed) with a sentinel member so an empty set is still a cached
 * answer. The home timeline asks "whom do I follow" on every read, so whichever module
 * misses first fills the copy, through {@link CacheGeneration} so that a fill racing a
 * follow/unfollow can never land a stale set. The follow graph invalidates it after each
 * commit. Owned by the user module; others read it through the {@code SocialGraph} port.
 */
@Component
class FollowingSet {

	private static final String LOADED = RedisKeys.LOADED_MEMBER;

	/** Read on every timeline read; an hour keeps active readers warm. */
	static final Duration TTL = Duration.ofHours(1);

	private final StringRedisTemplate redis;

	private final FollowMapper db;

	private final CacheGeneration generations;

	FollowingSet(StringRedisTemplate redis, FollowMapper db, CacheGeneration generations) {
		this.redis = redis;
		this.db = db;
		this.generations = generations;
	}

	/** Every account the user follows. */
	Set<Long> of(long follower) {
		for (int attempt = 0; attempt < 2; attempt++) {
			Set<String> members = this.redis.opsForZSet().range(RedisKeys.following(follower), 0, -1);
			if (members != null && members.contains(LOADED)) {
				Set<Long> ids = new LinkedHashSet<>();
				members.stream().filter(m -> !LOADED.equals(m)).map(Long::valueOf).forEach(ids::add);
				return ids;
			}
			if (fill(follower) == null) {
				break;
			}
		}
		// Two fills raced with writes: answer from the database, the truth.
		return new LinkedHashSet<>(this.db.following(follower).stream().map(FollowMapper.Edge::followeeId).toList());
	}

	/** Whether the user follows {@code followee}, from the cached set. */
	boolean contains(long follower, long followee) {
		if (!ensureLoaded(follower)) {
			return this.db.edges(follower, followee) > 0;
		}
		return this.redis.opsForZSet().score(RedisKeys.following(follower), Long.toString(followee)) != null;
	}

	/**
	 * Makes sure the cached set exists; false when two fills in a row lost a race with
	 * writes.
	 */
	boolean ensureLoaded(long follower) {
		for (int attempt = 0; attempt < 2; attempt++) {
			if (Boolean.TRUE.equals(this.redis.hasKey(RedisKeys.following(follower)))) {
				return true;
			}
			if (fill(follower) != null) {
				return true;
			}
		}
		return false;
	}

	/**
	 * @return the loaded edges, or {@code null} when a write raced the load and the fill
	 * was refused
	 */
	private List<FollowMapper.Edge> fill(long follower) {
		String generation = this.generations.current(follower);
		List<FollowMapper.Edge> edges = this.db.following(follower);
		List<String[]> pairs = new ArrayList<>(edges.size() + 1);
		pairs.add(new String[] { "0", LOADED }); // score 0
		for (FollowMapper.Edge edge : edges) {
			pairs.add(new String[] { Long.toString(edge.followedAtMs()), Long.toString(edge.followeeId()) });
		}
		return this.generations.fillSortedSetIfUnchanged(follower, generation, RedisKeys.following(follower), pairs,
				TTL) ? edges : null;
	}

}
