package dev.feedplatform.searchsync.sync;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.feedplatform.searchsync.node.DocChange;
import dev.feedplatform.searchsync.node.PostDocument;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads what a post's search document must be from MariaDB, the system of record.
 *
 * <p>
 * The binlog tells the sync <em>which</em> posts changed and <em>how new</em> the change
 * is; the document itself is read back here rather than assembled from the row images. A
 * row image holds one table's columns, while a document joins the post, its counters and
 * the blacklist; and a document read after the event is at least as new as the event, so
 * a replay from an old position (a Canal restart, a redelivered batch) can never
 * resurrect a deleted post or put back an old title, whatever the search node still
 * remembers of its versions.
 *
 * <p>
 * Plain JdbcClient rather than a MyBatis mapper (issue 20): the document query is the one
 * sanctioned read of other modules' tables (one snapshot across posts, counters and
 * blacklist; see {@code TableOwnershipTests}), mapped column by column into
 * {@link PostDocument}, and the rest is {@code SHOW MASTER STATUS} and a one-row
 * heartbeat; a mapper would add an interface and a scan for no gain in safety.
 */
public class PostSource {

	private static final String SELECT = """
			SELECT p.id, p.author_id, p.type, p.title, p.body, p.cover, p.live_room_id, p.status, p.created_at,
			       COALESCE(c.likes, 0) likes, COALESCE(c.favorites, 0) favorites, COALESCE(c.shares, 0) shares,
			       COALESCE(c.views, 0) views, COALESCE(c.comments, 0) comments, b.post_id blocked
			FROM posts p
			LEFT JOIN post_counters c ON c.post_id = p.id
			LEFT JOIN post_blacklist b ON b.post_id = p.id
			WHERE p.id IN (:ids)""";

	private final JdbcClient db;

	public PostSource(JdbcClient db) {
		this.db = db;
	}

	/**
	 * Documents of the posts among {@code ids} that may be found: present, not retracted,
	 * not blacklisted.
	 */
	public Map<Long, PostDocument> visible(Collection<Long> ids) {
		Map<Long, PostDocument> docs = new HashMap<>();
		if (ids.isEmpty()) {
			return docs;
		}
		this.db.sql(SELECT).param("ids", ids).query((rs, n) -> {
			if (rs.getInt("status") == 0 && rs.getObject("blocked") == null) {
				docs.put(rs.getLong("id"), document(rs));
			}
			return null;
		}).list();
		return docs;
	}

	/** What each post's document must become, stamped with the given versions. */
	public List<DocChange> changes(Map<Long, Long> versions) {
		Map<Long, PostDocument> docs = visible(versions.keySet());
		List<DocChange> changes = new ArrayList<>(versions.size());
		versions.forEach((id, version) -> changes.add(new DocChange(id, version, docs.get(id))));
		return changes;
	}

	/**
	 * The version for a snapshot read that starts now (see
	 * {@link BinlogVersion#snapshot}).
	 */
	public long snapshotVersion() {
		return this.db.sql("SHOW MASTER STATUS")
			.query((rs, n) -> BinlogVersion.snapshot(rs.getString("File"), rs.getLong("Position")))
			.single();
	}

	/**
	 * Every post id above {@code after}, ascending, at most {@code limit}: visible or
	 * not.
	 */
	public List<Long> idsAfter(long after, int limit) {
		return this.db.sql("SELECT id FROM posts WHERE id > ? ORDER BY id LIMIT ?")
			.params(after, limit)
			.query(Long.class)
			.list();
	}

	public void beat(long nowMs) {
		this.db.sql(
				"INSERT INTO search_heartbeat (id, beat_ms) VALUES (1, ?) ON DUPLICATE KEY UPDATE beat_ms = VALUES(beat_ms)")
			.param(nowMs)
			.update();
	}

	private static PostDocument document(ResultSet rs) throws SQLException {
		Long liveRoom = rs.getObject("live_room_id", Long.class);
		return PostDocument.of(rs.getLong("id"), rs.getLong("author_id"), rs.getString("type"), rs.getString("title"),
				rs.getString("body"), rs.getString("cover"), liveRoom, rs.getTimestamp("created_at").getTime(),
				rs.getLong("likes"), rs.getLong("favorites"), rs.getLong("shares"), rs.getLong("views"),
				rs.getLong("comments"));
	}

}
