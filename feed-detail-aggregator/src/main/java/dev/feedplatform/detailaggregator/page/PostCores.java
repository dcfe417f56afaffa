package dev.feedplatform.detailaggregator.page;

import java.util.Optional;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.cache.LeaseCache;
import dev.feedplatform.runtime.ports.PostRows;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Post cores behind the lease cache. The loader reads MariaDB; a missing or retracted
 * post is cached as missing. {@code feed.detail.loads} counts database loads: the herd
 * test and benchmark read it.
 */
@Component
public class PostCores {

	private final PostRows posts;

	private final JsonMapper json;

	private final LeaseCache cache;

	private final Counter loads;

	PostCores(PostRows posts, JsonMapper json, StringRedisTemplate redis, DetailSettings settings,
			MeterRegistry meters) {
		this.posts = posts;
		this.json = json;
		this.cache = new LeaseCache(redis, id -> {
			long post = Long.parseLong(id);
			return new LeaseCache.Keys(RedisKeys.postDetail(post), RedisKeys.postDetailLease(post),
					RedisKeys.postDetailStale(post));
		}, settings.cache(), settings.leases());
		this.loads = Counter.builder("feed.detail.loads")
			.description("post cores loaded from the database")
			.register(meters);
	}

	public Optional<PostCore> get(long postId) {
		return lookup(postId).value().map(text -> this.json.readValue(text, PostCore.class));
	}

	/**
	 * The cached JSON with where it came from (local, Redis, loaded, waited for, stale).
	 */
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
		return this.posts.visible(postId)
			.map(c -> new PostCore(Long.toString(c.id()), Long.toString(c.authorId()), c.type(), c.title(), c.body(),
					c.media(), c.cover(), c.createdAt().toString(),
					c.liveRoomId() == null ? null : Long.toString(c.liveRoomId()),
					c.repostOf() == null ? null : Long.toString(c.repostOf())));
	}

}
