package dev.feedplatform.runtime.blacklist;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Posts that no read path may show: retracted by their author (until cleanup finished) or
 * removed by a moderator. MariaDB holds the durable list; Redis a hash every instance
 * checks with one HMGET per page (O(1) per item). The hash carries a sentinel field, so a
 * Redis that lost it is noticed and reloaded instead of silently letting blacklisted
 * posts through.
 */
public class Blacklist {

	public static final String RETRACTED = "retracted";

	public static final String MODERATED = "moderated";

	private static final String LOADED = RedisKeys.LOADED_MEMBER;

	private final StringRedisTemplate redis;

	private final JdbcClient db;

	public Blacklist(StringRedisTemplate redis, JdbcClient db) {
		this.redis = redis;
		this.db = db;
	}

	/** The ids among {@code postIds} that must not be shown. */
	public Set<Long> blocked(Collection<Long> postIds) {
		if (postIds.isEmpty()) {
			return Set.of();
		}
		List<Object> fields = new ArrayList<>(postIds.size() + 1);
		fields.add(LOADED);
		postIds.forEach(id -> fields.add(Long.toString(id)));
		List<Object> values = this.redis.opsForHash().multiGet(RedisKeys.blacklist(), fields);
		if (values.get(0) == null) {
			reload();
			values = this.redis.opsForHash().multiGet(RedisKeys.blacklist(), fields);
		}
		Set<Long> blocked = new HashSet<>();
		int i = 1;
		for (Long id : postIds) {
			if (values.get(i++) != null) {
				blocked.add(id);
			}
		}
		return blocked;
	}

	public boolean isBlocked(long postId) {
		return !blocked(List.of(postId)).isEmpty();
	}

	/** Database first: once this returns, a Redis restart can't bring the post back. */
	public void add(long postId, String reason) {
		this.db.sql(
				"INSERT INTO post_blacklist (post_id, reason) VALUES (?, ?) ON DUPLICATE KEY UPDATE reason = IF(reason = 'moderated', reason, VALUES(reason))")
			.params(postId, reason)
			.update();
		this.redis.opsForHash().put(RedisKeys.blacklist(), Long.toString(postId), reason);
		ensureLoaded();
	}

	/**
	 * Removes the entry only if it is still there for {@code reason}: a moderator's block
	 * outlives a retraction cleanup.
	 */
	public void remove(long postId, String reason) {
		this.db.sql("DELETE FROM post_blacklist WHERE post_id = ? AND reason = ?").params(postId, reason).update();
		Object current = this.redis.opsForHash().get(RedisKeys.blacklist(), Long.toString(postId));
		if (reason.equals(current)) {
			this.redis.opsForHash().delete(RedisKeys.blacklist(), Long.toString(postId));
		}
	}

	private void ensureLoaded() {
		if (!this.redis.opsForHash().hasKey(RedisKeys.blacklist(), LOADED)) {
			reload();
		}
	}

	private void reload() {
		Map<String, String> all = new java.util.HashMap<>();
		this.db.sql("SELECT post_id, reason FROM post_blacklist")
			.query((rs, n) -> all.put(Long.toString(rs.getLong(1)), rs.getString(2)))
			.list();
		all.put(LOADED, "1");
		this.redis.opsForHash().putAll(RedisKeys.blacklist(), all);
	}

}
