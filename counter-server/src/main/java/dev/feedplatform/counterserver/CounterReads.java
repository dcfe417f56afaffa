package dev.feedplatform.counterserver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.stereotype.Component;

/**
 * Latency-first reads: a short Caffeine tier (hot posts are read by everyone, so most
 * reads never leave the process), then the Redis copies in one pipelined round trip, then
 * MariaDB for posts Redis lost, refilled into Redis in version order. A post with no
 * counts yet reads as zeros.
 */
@Component
public class CounterReads {

	private final CounterStore store;

	private final KnownPosts posts;

	private final Cache<Long, Totals> hot;

	CounterReads(CounterStore store, KnownPosts posts, CounterSettings settings) {
		this.store = store;
		this.posts = posts;
		this.hot = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(settings.readCacheTtl()).build();
	}

	/**
	 * Counts of the existing posts among the ids, in the order asked; unknown ids are
	 * left out.
	 */
	public Map<Long, Totals> counts(List<Long> postIds) {
		Set<Long> existing = this.posts.existing(postIds);
		Map<Long, Totals> found = new HashMap<>(this.hot.getAllPresent(existing));
		List<Long> missing = existing.stream().filter(id -> !found.containsKey(id)).toList();
		if (!missing.isEmpty()) {
			Map<Long, Totals> fromRedis = this.store.readFromRedis(missing);
			found.putAll(fromRedis);
			List<Long> lost = new ArrayList<>(missing);
			lost.removeAll(fromRedis.keySet());
			if (!lost.isEmpty()) {
				Map<Long, Totals.Versioned> fromDatabase = this.store.loadFromDatabase(lost);
				this.store.copyToRedis(fromDatabase);
				fromDatabase.forEach((post, versioned) -> found.put(post, versioned.totals()));
				lost.forEach(post -> found.putIfAbsent(post, Totals.ZERO));
			}
			missing.forEach(post -> this.hot.put(post, found.get(post)));
		}
		Map<Long, Totals> ordered = new LinkedHashMap<>();
		for (Long id : postIds) {
			if (found.containsKey(id)) {
				ordered.put(id, found.get(id));
			}
		}
		return ordered;
	}

}
