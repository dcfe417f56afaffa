package dev.feedplatform.counterserver;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.feedplatform.runtime.ports.PostRows;
import org.springframework.stereotype.Component;

/**
 * Which post ids exist, so no counter is ever created for a post that doesn't. Only
 * positive answers are cached (a post, once created, keeps its id), so a hot post's views
 * cost no query.
 */
@Component
class KnownPosts {

	private final PostRows posts;

	private final Cache<Long, Boolean> known = Caffeine.newBuilder()
		.maximumSize(500_000)
		.expireAfterAccess(Duration.ofMinutes(30))
		.build();

	KnownPosts(PostRows posts) {
		this.posts = posts;
	}

	Set<Long> existing(Collection<Long> postIds) {
		Set<Long> found = new HashSet<>(this.known.getAllPresent(postIds).keySet());
		List<Long> unknown = postIds.stream().filter(id -> !found.contains(id)).distinct().toList();
		if (!unknown.isEmpty()) {
			Set<Long> loaded = this.posts.existing(unknown);
			loaded.forEach(id -> this.known.put(id, Boolean.TRUE));
			found.addAll(loaded);
		}
		return found;
	}

}
