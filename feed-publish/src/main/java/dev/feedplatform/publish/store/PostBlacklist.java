package dev.feedplatform.publish.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.ports.Blacklist;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Posts that no read path may show: retracted by their author (until cleanup finished) or
 * removed by a moderator. MariaDB holds the durable list; Redis a hash every instance
 * checks with one HMGET per page (O(1) per item). The hash carries a sentinel field, so a
 * Redis that lost it is noticed and reloaded instead of silently letting blacklisted
 * posts through. The publish module owns it (it decides a post's visibility); others use
 * the {@link Blacklist} port.
 */
@Component
class PostBlacklist implements Blacklist {

	private static final String LOADED = RedisKeys.LOADED_MEMBER;

	private final StringRedisTemplate redis;

	private final BlacklistMapper db;

	PostBlacklist(StringRedisTemplate redis, BlacklistMapper db) {
		this.redis = redis;
		this.db = db;
	}

	@Override
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

	@Override
	public void add(long postId, String reason) {
		this.db.add(postId, reason);
		this.redis.opsForHash().put(RedisKeys.blacklist(), Long.toString(postId), reason);
		ensureLoaded();
	}

	@Override
	public void remove(long postId, String reason) {
		this.db.remove(postId, reason);
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
		Map<String, String> all = new HashMap<>();
		for (BlacklistMapper.Entry entry : this.db.all()) {
			all.put(Long.toString(entry.postId()), entry.reason());
		}
		all.put(LOADED, "1");
		this.redis.opsForHash().putAll(RedisKeys.blacklist(), all);
	}

}
