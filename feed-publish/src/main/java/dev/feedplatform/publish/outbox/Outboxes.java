package dev.feedplatform.publish.outbox;

import java.util.ArrayList;
import java.util.List;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.publish.store.Posts;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Authors' outboxes: a sorted set of their newest post ids (score = id) plus a floor key
 * saying from which id on the set is complete. Capped, because only recent posts are read
 * hot; older ones come from the database. A lost outbox (Redis keeps nothing on disk) is
 * rebuilt from MariaDB.
 */
@Component
public class Outboxes {

	/**
	 * Pull readers need at most a few pages per author; 1,000 ids cost ~40 KB per author.
	 */
	public static final int CAP = 1000;

	// KEYS outbox, floor. ARGV id, cap. -1 = the outbox is not trustworthy, rebuild
	// first.
	private static final RedisScript<Long> ADD = RedisScript.of("""
			if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
			redis.call('ZADD', KEYS[1], ARGV[1], ARGV[1])
			local n = redis.call('ZCARD', KEYS[1])
			local cap = tonumber(ARGV[2])
			if n > cap then
			  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - cap - 1)
			  redis.call('SET', KEYS[2], redis.call('ZRANGE', KEYS[1], 0, 0)[1])
			end
			return 1""", Long.class);

	// KEYS outbox, floor. ARGV cap, floor-if-unset, ids... Adds (never removes: a racing
	// publish stays), then trims.
	private static final RedisScript<Long> REBUILD = RedisScript.of("""
			for i = 3, #ARGV do redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i]) end
			local n = redis.call('ZCARD', KEYS[1])
			local cap = tonumber(ARGV[1])
			if n > cap then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - cap - 1) end
			if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('SET', KEYS[2], ARGV[2]) end
			return 1""", Long.class);

	private final StringRedisTemplate redis;

	private final Posts posts;

	Outboxes(StringRedisTemplate redis, Posts posts) {
		this.redis = redis;
		this.posts = posts;
	}

	/** Adds a stored post to its author's outbox; idempotent. */
	public void add(long authorId, long postId) {
		Long added = this.redis.execute(ADD, keys(authorId), Long.toString(postId), Integer.toString(CAP));
		if (added != null && added == -1) {
			rebuild(authorId);
		}
	}

	// KEYS latest; ARGV author, post id. Raises the author's newest id, never lowers it
	// (a late heal can't move it back).
	private static final RedisScript<Long> LATEST = RedisScript.of("""
			local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
			if s and tonumber(s) >= tonumber(ARGV[2]) then return 0 end
			redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
			return 1""", Long.class);

	/**
	 * Records a big account's newest post (after its outbox entry), for readers' local
	 * heads ({@link RedisKeys#bigLatest()}).
	 */
	public void markLatest(long authorId, long postId) {
		this.redis.execute(LATEST, List.of(RedisKeys.bigLatest()), Long.toString(authorId), Long.toString(postId));
	}

	public void remove(long authorId, long postId) {
		this.redis.opsForZSet().remove(RedisKeys.outbox(authorId), Long.toString(postId));
	}

	private void rebuild(long authorId) {
		List<Long> newest = this.posts.newestIds(authorId, CAP);
		String floor = newest.size() < CAP ? "0" : Long.toString(newest.get(newest.size() - 1));
		List<String> args = new ArrayList<>(List.of(Integer.toString(CAP), floor));
		newest.forEach(id -> args.add(Long.toString(id)));
		this.redis.execute(REBUILD, keys(authorId), args.toArray());
	}

	private static List<String> keys(long authorId) {
		return List.of(RedisKeys.outbox(authorId), RedisKeys.outboxFloor(authorId));
	}

}
