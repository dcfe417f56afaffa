package dev.feedplatform.publish.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.feedplatform.common.id.IdGenerator;
import dev.feedplatform.common.posts.PostSummary;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Posts in MariaDB, the source of truth; this module owns the table, others read it. */
@Repository
public class Posts {

	private final JdbcClient db;

	Posts(JdbcClient db) {
		this.db = db;
	}

	/**
	 * Stores a post with fan-out not yet enqueued ({@code fanout_state = 0}: the
	 * transactional outbox, read by the recovery sweep). With an idempotency key taken by
	 * another of the author's posts the insert fails with a
	 * {@link DuplicateKeyException}.
	 */
	public PostSummary insert(long id, long authorId, NewPost post, String idempotencyKey) {
		Instant created = Instant.ofEpochMilli(IdGenerator.epochMsOf(id));
		this.db.sql(
				"INSERT INTO posts (id, author_id, type, title, body, media, cover, created_at, idem_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
			.params(id, authorId, post.type(), post.title(), post.text(), String.join("\n", post.media()), post.cover(),
					Timestamp.from(created), idempotencyKey)
			.update();
		return new PostSummary(Long.toString(id), Long.toString(authorId), post.type(), post.title(), post.cover(),
				created.toString(), null);
	}

	/**
	 * Stores a repost of {@code originalId} (never itself a repost), fan-out not yet
	 * enqueued.
	 */
	public PostSummary insertRepost(long id, long authorId, long originalId, String text, String idempotencyKey) {
		Instant created = Instant.ofEpochMilli(IdGenerator.epochMsOf(id));
		this.db.sql(
				"INSERT INTO posts (id, author_id, type, title, media, created_at, idem_key, repost_of) VALUES (?, ?, ?, ?, '', ?, ?, ?)")
			.params(id, authorId, PostSummary.REPOST, text, Timestamp.from(created), idempotencyKey, originalId)
			.update();
		return new PostSummary(Long.toString(id), Long.toString(authorId), PostSummary.REPOST, text, null,
				created.toString(), null, Long.toString(originalId), null, null);
	}

	/**
	 * Removes a repost that could not be counted (before its fan-out was enqueued: nobody
	 * saw it).
	 */
	public void deleteUnannounced(long id) {
		this.db.sql("DELETE FROM posts WHERE id = ? AND fanout_state = 0").param(id).update();
	}

	/** A visible post's summary (a repost's without its original), if it is visible. */
	public Optional<PostSummary> visibleSummary(long id) {
		return this.db.sql(
				"SELECT id, author_id, type, title, cover, created_at, live_room_id, repost_of FROM posts WHERE id = ? AND status = 0")
			.param(id)
			.query((rs, n) -> summary(rs))
			.optional();
	}

	private static PostSummary summary(java.sql.ResultSet rs) throws java.sql.SQLException {
		long roomId = rs.getLong(7);
		String room = rs.wasNull() ? null : Long.toString(roomId);
		long original = rs.getLong(8);
		String repostOf = rs.wasNull() ? null : Long.toString(original);
		return new PostSummary(Long.toString(rs.getLong(1)), Long.toString(rs.getLong(2)), rs.getString(3),
				rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant().toString(), room, repostOf, null,
				null);
	}

	/**
	 * The author's post created under {@code idempotencyKey}: its answer and what it was
	 * created from.
	 */
	public Optional<Keyed> byIdempotencyKey(long authorId, String idempotencyKey) {
		return this.db
			.sql("SELECT id, author_id, type, title, cover, created_at, live_room_id, repost_of, body, media FROM posts"
					+ " WHERE author_id = ? AND idem_key = ?")
			.params(authorId, idempotencyKey)
			.query((rs, n) -> {
				PostSummary summary = summary(rs);
				List<String> media = rs.getString(10).isEmpty() ? List.of() : List.of(rs.getString(10).split("\n"));
				return new Keyed(summary,
						new NewPost(summary.type(), summary.title(), rs.getString(9), media, summary.cover()));
			})
			.optional();
	}

	/** A post found by its idempotency key. */
	public record Keyed(PostSummary answer, NewPost request) {
	}

	public void fanOutEnqueued(long id) {
		this.db.sql("UPDATE posts SET fanout_state = 1 WHERE id = ?").param(id).update();
	}

	/**
	 * Who wrote a post and whether it was retracted (issue 20: a record, not a
	 * {@code long[]}).
	 */
	public record Ownership(long authorId, boolean retracted) {
	}

	/** The post's author and retraction, if the post exists. */
	public Optional<Ownership> ownership(long id) {
		return this.db.sql("SELECT author_id, status FROM posts WHERE id = ?")
			.param(id)
			.query((rs, n) -> new Ownership(rs.getLong(1), rs.getInt(2) == 1))
			.optional();
	}

	public boolean retract(long id) {
		return this.db.sql("UPDATE posts SET status = 1 WHERE id = ? AND status = 0").param(id).update() == 1;
	}

	/** The newest visible post ids of an author: rebuilds a lost outbox. */
	public List<Long> newestIds(long authorId, int limit) {
		return this.db.sql("SELECT id FROM posts WHERE author_id = ? AND status = 0 ORDER BY id DESC LIMIT ?")
			.params(authorId, limit)
			.query(Long.class)
			.list();
	}

	/**
	 * Posts whose fan-out was never enqueued (the process died between insert and send),
	 * older than {@code beforeId}.
	 */
	public List<Unannounced> unannounced(long beforeId, int limit) {
		return this.db.sql("SELECT id, author_id FROM posts WHERE fanout_state = 0 AND id < ? ORDER BY id LIMIT ?")
			.params(beforeId, limit)
			.query((rs, n) -> new Unannounced(rs.getLong(1), rs.getLong(2)))
			.list();
	}

	/** A post whose fan-out was never enqueued, and its author. */
	public record Unannounced(long id, long authorId) {
	}

}
