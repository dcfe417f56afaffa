package dev.feedplatform.timeline.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.feedplatform.common.posts.PostSummary;
import dev.feedplatform.runtime.ports.Blacklist;
import dev.feedplatform.runtime.ports.PostRows;
import org.springframework.stereotype.Component;

/**
 * Hydrates post ids into summaries in one batch, through a short in-process cache:
 * summaries are immutable but for retraction, which the blacklist hides at once anyway,
 * and a linked live room. A repost comes with its original's summary, and is visible only
 * while its original is (issue 19).
 */
@Component
public class PostSummaries {

	/**
	 * Shorter than the blacklist's release delay, so a retracted post can't reappear from
	 * here.
	 */
	static final Duration TTL = Duration.ofSeconds(5);

	private final PostRows posts;

	private final Blacklist blacklist;

	private final Cache<Long, Optional<PostSummary>> cache = Caffeine.newBuilder()
		.maximumSize(200_000)
		.expireAfterWrite(TTL)
		.build();

	PostSummaries(PostRows posts, Blacklist blacklist) {
		this.posts = posts;
		this.blacklist = blacklist;
	}

	/**
	 * What a reader may be shown among the ids: visible posts that are not blacklisted,
	 * and whose original (for a repost) is neither — one blacklist round trip for the
	 * posts and their originals together, so a post deleted or moderated takes its
	 * reposts with it at once, with no per-repost cleanup.
	 */
	public Map<Long, PostSummary> shown(Collection<Long> ids) {
		Map<Long, PostSummary> found = visible(ids);
		Set<Long> check = new HashSet<>(found.keySet());
		found.values().forEach(summary -> check.add(summary.contentId()));
		Set<Long> blocked = this.blacklist.blocked(check);
		found.values()
			.removeIf(summary -> blocked.contains(summary.numericId()) || blocked.contains(summary.contentId()));
		return found;
	}

	/**
	 * Visible posts among the ids (reposts with their visible original); missing and
	 * retracted ones are absent from the map.
	 */
	public Map<Long, PostSummary> visible(Collection<Long> ids) {
		Map<Long, Optional<PostSummary>> found = new HashMap<>(this.cache.getAllPresent(ids));
		List<Long> missing = ids.stream().filter(id -> !found.containsKey(id)).distinct().toList();
		if (!missing.isEmpty()) {
			Map<Long, Optional<PostSummary>> loaded = load(missing);
			this.cache.putAll(loaded);
			found.putAll(loaded);
		}
		Map<Long, PostSummary> visible = new HashMap<>();
		found.forEach((id, summary) -> summary.ifPresent(s -> visible.put(id, s)));
		return visible;
	}

	private Map<Long, Optional<PostSummary>> load(List<Long> ids) {
		Map<Long, Optional<PostSummary>> loaded = new HashMap<>();
		ids.forEach(id -> loaded.put(id, Optional.empty()));
		List<PostSummary> reposts = new ArrayList<>();
		this.posts.summaries(ids).forEach((id, row) -> {
			if (row.visible()) {
				if (row.summary().repostOf() == null) {
					loaded.put(id, Optional.of(row.summary()));
				}
				else {
					reposts.add(row.summary());
				}
			}
		});
		if (!reposts.isEmpty()) {
			// Originals are never reposts themselves (a repost of a repost names the
			// original), so one more level ends it.
			Map<Long, PostSummary> originals = visible(reposts.stream().map(PostSummary::contentId).toList());
			for (PostSummary repost : reposts) {
				PostSummary original = originals.get(repost.contentId());
				if (original != null) {
					loaded.put(repost.numericId(), Optional.of(repost.withOriginal(original)));
				}
			}
		}
		return loaded;
	}

}
