package dev.feedplatform.timeline.source;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.feedplatform.common.posts.PostSummary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Hydrates post ids into summaries in one batch, through a short in-process cache: summaries are
 * immutable but for retraction, which the blacklist hides at once anyway, and a linked live room.
 */
@Component
public class PostSummaries {

	/** Shorter than the blacklist's release delay, so a retracted post can't reappear from here. */
	static final Duration TTL = Duration.ofSeconds(5);

	private final JdbcClient db;

	private final Cache<Long, Optional<PostSummary>> cache = Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(TTL).build();

	PostSummaries(JdbcClient db) {
		this.db = db;
	}

	/** Visible posts among the ids; missing and retracted ones are absent from the map. */
	public Map<Long, PostSummary> visible(Collection<Long> ids) {
		Map<Long, Optional<PostSummary>> found = new HashMap<>(this.cache.getAllPresent(ids));
		java.util.List<Long> missing = ids.stream().filter(id -> !found.containsKey(id)).distinct().toList();
		if (!missing.isEmpty()) {
			Map<Long, Optional<PostSummary>> loaded = new HashMap<>();
			missing.forEach(id -> loaded.put(id, Optional.empty()));
			this.db.sql("SELECT id, author_id, type, title, cover, created_at, live_room_id, status FROM posts WHERE id IN (:ids)")
				.param("ids", missing)
				.query((rs, n) -> {
					long id = rs.getLong(1);
					long room = rs.getLong(7);
					boolean noRoom = rs.wasNull();
					PostSummary summary = new PostSummary(Long.toString(id), Long.toString(rs.getLong(2)), rs.getString(3), rs.getString(4),
							rs.getString(5), rs.getTimestamp(6).toInstant().toString(), noRoom ? null : Long.toString(room));
					loaded.put(id, rs.getInt(8) == 0 ? Optional.of(summary) : Optional.empty());
					return id;
				})
				.list();
			this.cache.putAll(loaded);
			found.putAll(loaded);
		}
		Map<Long, PostSummary> visible = new HashMap<>();
		found.forEach((id, summary) -> summary.ifPresent(s -> visible.put(id, s)));
		return visible;
	}

}
