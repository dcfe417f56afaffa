package dev.feedplatform.timeline.source;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads the follow graph the user module owns: its cached following set in Redis (written and
 * invalidated synchronously by follow/unfollow, so an unfollow is seen by the very next read on any
 * instance), the big-account set, and MariaDB when a cache is absent.
 */
@Component
public class FollowingReader {

	private static final String LOADED = "0";

	private final StringRedisTemplate redis;

	private final JdbcClient db;

	FollowingReader(StringRedisTemplate redis, JdbcClient db) {
		this.redis = redis;
		this.db = db;
	}

	public Set<Long> following(long userId) {
		Set<String> cached = this.redis.opsForZSet().range(RedisKeys.following(userId), 0, -1);
		if (cached != null && cached.contains(LOADED)) {
			Set<Long> ids = new LinkedHashSet<>();
			cached.stream().filter(m -> !LOADED.equals(m)).forEach(m -> ids.add(Long.valueOf(m)));
			return ids;
		}
		return new LinkedHashSet<>(this.db.sql("SELECT followee_id FROM follows WHERE follower_id = ?").param(userId).query(Long.class).list());
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
