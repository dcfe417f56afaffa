package dev.feedplatform.user.profile;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.cache.CacheGeneration;
import dev.feedplatform.user.follow.FollowGraph;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Profiles read through a Redis hash cache in front of MariaDB. Follow changes invalidate
 * a profile through {@link CacheGeneration}, so a load that read the database before a
 * change can never write its stale copy after the invalidation.
 */
@Component
public class Profiles {

	/**
	 * Counts may be this stale at worst if an invalidation is lost with a crash between
	 * commit and Redis.
	 */
	static final Duration TTL = Duration.ofMinutes(10);

	private final ProfileMapper db;

	private final StringRedisTemplate redis;

	private final CacheGeneration generations;

	private final FollowGraph graph;

	Profiles(ProfileMapper db, StringRedisTemplate redis, CacheGeneration generations, FollowGraph graph) {
		this.db = db;
		this.redis = redis;
		this.generations = generations;
		this.graph = graph;
	}

	public UserView view(long userId, long viewerId) {
		ProfileRow row = row(userId).orElseThrow(() -> Problem.notFound("no user " + userId));
		return row.viewedBy(userId != viewerId && this.graph.isFollowing(viewerId, userId));
	}

	public Optional<ProfileRow> row(long userId) {
		String key = RedisKeys.userProfile(userId);
		Map<Object, Object> cached = this.redis.opsForHash().entries(key);
		if (!cached.isEmpty()) {
			return Optional.of(new ProfileRow(userId, (String) cached.get("nickname"),
					Long.parseLong((String) cached.get("followers")), Long.parseLong((String) cached.get("following")),
					"1".equals(cached.get("big"))));
		}
		String generation = this.generations.current(userId);
		Optional<ProfileRow> loaded = load(userId);
		loaded.ifPresent(row -> this.generations.fillIfUnchanged(userId, generation, key,
				Map.of("nickname", row.nickname(), "followers", Long.toString(row.followers()), "following",
						Long.toString(row.following()), "big", row.bigAccount() ? "1" : "0"),
				TTL));
		return loaded;
	}

	/** Rows for a batch of users, from the database in one query, in the order asked. */
	public List<ProfileRow> rows(Collection<Long> userIds) {
		if (userIds.isEmpty()) {
			return List.of();
		}
		Map<Long, ProfileRow> byId = new LinkedHashMap<>();
		this.db.rows(userIds).forEach(row -> byId.put(row.id(), row));
		return userIds.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
	}

	private Optional<ProfileRow> load(long userId) {
		return Optional.ofNullable(this.db.row(userId));
	}

}
