package dev.feedplatform.detailaggregator.page;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.cache.LeaseCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Post cores behind the lease cache. The loader reads MariaDB; a missing or retracted post is
 * cached as missing. {@code feed.detail.loads} counts database loads: the herd test and benchmark
 * read it.
 */
@Component
public class PostCores {

	private final JdbcClient db;

	private final JsonMapper json;

	private final LeaseCache cache;

	private final Counter loads;

	PostCores(JdbcClient db, JsonMapper json, StringRedisTemplate redis, DetailSettings settings, MeterRegistry meters) {
		this.db = db;
		this.json = json;
		this.cache = new LeaseCache(redis, id -> {
			long post = Long.parseLong(id);
			return new LeaseCache.Keys(RedisKeys.postDetail(post), RedisKeys.postDetailLease(post), RedisKeys.postDetailStale(post));
		}, settings.cache(), settings.leases());
		this.loads = Counter.builder("feed.detail.loads").description("post cores loaded from the database").register(meters);
	}

	public Optional<PostCore> get(long postId) {
		return lookup(postId).value().map(text -> this.json.readValue(text, PostCore.class));
	}

	/** The cached JSON with where it came from (local, Redis, loaded, waited for, stale). */
	public LeaseCache.Lookup lookup(long postId) {
		return this.cache.get(Long.toString(postId), () -> load(postId).map(this.json::writeValueAsString));
	}

	public void invalidate(long postId) {
		this.cache.invalidate(Long.toString(postId));
	}

	void invalidateLocal(long postId) {
		this.cache.invalidateLocal(Long.toString(postId));
	}

	Optional<PostCore> load(long postId) {
		this.loads.increment();
		return this.db.sql("SELECT id, author_id, type, title, body, media, cover, created_at, live_room_id, repost_of FROM posts WHERE id = ? AND status = 0")
			.param(postId)
			.query((rs, n) -> {
				long room = rs.getLong(9);
				boolean noRoom = rs.wasNull();
				String media = rs.getString(6);
				long original = rs.getLong(10);
				String repostOf = rs.wasNull() ? null : Long.toString(original);
				return new PostCore(Long.toString(rs.getLong(1)), Long.toString(rs.getLong(2)), rs.getString(3), rs.getString(4), rs.getString(5),
						media == null || media.isEmpty() ? List.of() : Arrays.asList(media.split("\n")), rs.getString(7),
						rs.getTimestamp(8).toInstant().toString(), noRoom ? null : Long.toString(room), repostOf);
			})
			.optional();
	}

}
