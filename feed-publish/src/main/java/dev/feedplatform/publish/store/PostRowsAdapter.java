package dev.feedplatform.publish.store;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.feedplatform.common.posts.PostSummary;
import dev.feedplatform.runtime.ports.PostRows;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The publish module's answer to {@link PostRows}: other modules' reads of {@code posts},
 * all inside this package.
 */
@Component
class PostRowsAdapter implements PostRows {

	private final JdbcClient db;

	PostRowsAdapter(JdbcClient db) {
		this.db = db;
	}

	@Override
	public Set<Long> existing(Collection<Long> ids) {
		if (ids.isEmpty()) {
			return Set.of();
		}
		return new HashSet<>(
				this.db.sql("SELECT id FROM posts WHERE id IN (:ids)").param("ids", ids).query(Long.class).list());
	}

	@Override
	public Map<Long, Summary> summaries(Collection<Long> ids) {
		Map<Long, Summary> found = new LinkedHashMap<>();
		if (ids.isEmpty()) {
			return found;
		}
		this.db.sql(
				"SELECT id, author_id, type, title, cover, created_at, live_room_id, status, repost_of FROM posts WHERE id IN (:ids)")
			.param("ids", ids)
			.query((rs, n) -> {
				long id = rs.getLong(1);
				long room = rs.getLong(7);
				boolean noRoom = rs.wasNull();
				long original = rs.getLong(9);
				boolean noOriginal = rs.wasNull();
				PostSummary summary = new PostSummary(Long.toString(id), Long.toString(rs.getLong(2)), rs.getString(3),
						rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant().toString(),
						noRoom ? null : Long.toString(room), noOriginal ? null : Long.toString(original), null, null);
				found.put(id, new Summary(summary, rs.getInt(8) == 0));
				return id;
			})
			.list();
		return found;
	}

	@Override
	public Optional<Content> visible(long id) {
		return this.db.sql(
				"SELECT id, author_id, type, title, body, media, cover, created_at, live_room_id, repost_of FROM posts WHERE id = ? AND status = 0")
			.param(id)
			.query((rs, n) -> {
				long room = rs.getLong(9);
				boolean noRoom = rs.wasNull();
				long original = rs.getLong(10);
				boolean noOriginal = rs.wasNull();
				String media = rs.getString(6);
				return new Content(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
						media == null || media.isEmpty() ? List.of() : Arrays.asList(media.split("\n")),
						rs.getString(7), rs.getTimestamp(8).toInstant(), noRoom ? null : room,
						noOriginal ? null : original);
			})
			.optional();
	}

	@Override
	public List<Long> newestOf(Collection<Long> authors, long above, long below, int limit) {
		if (authors.isEmpty()) {
			return List.of();
		}
		return this.db
			.sql("SELECT id FROM posts WHERE author_id IN (:authors) AND id > :above AND id < :below AND status = 0 "
					+ "ORDER BY id DESC LIMIT :limit")
			.param("authors", authors)
			.param("above", above)
			.param("below", below)
			.param("limit", limit)
			.query(Long.class)
			.list();
	}

}
