package dev.feedplatform.timeline.source;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.cache.FollowingSet;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads the follow graph the user module owns: the cached following set (invalidated synchronously by
 * follow/unfollow, so an unfollow is seen by the very next read on any instance, and filled on a
 * miss through the generation guard), the big-account set, and MariaDB when a cache is absent.
 */
@Component
public class FollowingReader {

	private static final String LOADED = "0";

	private final StringRedisTemplate redis;

	private final JdbcClient db;

	private final FollowingSet followingSet;

	/**
	 * Bounded and short-lived: a generation counter lives a day after its last bump, so no entry can
	 * outlive its counter and be mistaken for current after the counter restarts.
	 */
	private final Cache<Long, Followed> local = Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(Duration.ofMinutes(10)).build();

	FollowingReader(StringRedisTemplate redis, JdbcClient db, FollowingSet followingSet) {
		this.redis = redis;
		this.db = db;
		this.followingSet = followingSet;
	}

	public Set<Long> following(long userId) {
		return this.followingSet.of(userId);
	}

	/**
	 * Whom the reader follows, split into normal and big accounts, from a local copy that is checked
	 * on every call against two counters in one pipelined round trip: the reader's cache generation
	 * (bumped synchronously by every follow/unfollow, on any instance, before it answers) and the
	 * big-account version. Either moved: reload. So an unfollow still shows on the very next read,
	 * while a reader following 2,000 accounts doesn't re-read 2,000 ids twice per page.
	 */
	public Followed followed(long readerId) {
		List<Object> versions = this.redis.executePipelined((RedisCallback<Object>) connection -> {
			connection.stringCommands().get(RedisKeys.userCacheGeneration(readerId).getBytes(StandardCharsets.UTF_8));
			connection.stringCommands().get(RedisKeys.bigAccountsVersion().getBytes(StandardCharsets.UTF_8));
			return null;
		});
		String generation = String.valueOf(versions.get(0));
		String bigVersion = String.valueOf(versions.get(1));
		Followed cached = this.local.getIfPresent(readerId);
		if (cached != null && cached.generation.equals(generation) && cached.bigVersion.equals(bigVersion)) {
			return cached;
		}
		// Read after the counters: what is loaded is at least as new as the versions it is stored under.
		Set<Long> all = following(readerId);
		Set<Long> big = bigAmong(all);
		Set<Long> normal = new HashSet<>(all);
		normal.removeAll(big);
		Followed loaded = new Followed(generation, bigVersion, Set.copyOf(all), Set.copyOf(normal), Set.copyOf(big));
		this.local.put(readerId, loaded);
		return loaded;
	}

	/** A reader's followed accounts as of the two version counters. */
	public record Followed(String generation, String bigVersion, Set<Long> all, Set<Long> normal, Set<Long> big) {
	}

	/** Which of the accounts are big (pulled at read time). */
	public Set<Long> bigAmong(Set<Long> accounts) {
		if (accounts.isEmpty()) {
			return Set.of();
		}
		List<Object> members = new ArrayList<>(accounts.size() + 1);
		members.add(LOADED);
		accounts.forEach(id -> members.add(Long.toString(id)));
		java.util.Map<Object, Boolean> isMember = this.redis.opsForSet().isMember(RedisKeys.bigAccounts(), members.toArray());
		if (isMember == null || !Boolean.TRUE.equals(isMember.get(LOADED))) {
			return new HashSet<>(this.db.sql("SELECT id FROM users WHERE big_account = 1 AND id IN (:ids)").param("ids", accounts)
				.query(Long.class).list());
		}
		Set<Long> big = new HashSet<>();
		for (Long id : accounts) {
			if (Boolean.TRUE.equals(isMember.get(Long.toString(id)))) {
				big.add(id);
			}
		}
		return big;
	}

}
