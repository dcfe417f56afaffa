package dev.feedplatform.publish.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.feedplatform.common.id.IdGenerator;
import dev.feedplatform.common.posts.PostSummary;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Repository;

/**
 * Posts in MariaDB, the source of truth, as the publish module itself uses them; this
 * module owns the table (its SQL is {@link PostMapper}'s), others read it through ports.
 */
@Repository
public class Posts {

	private final PostMapper db;

	Posts(PostMapper db) {
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
		this.db.insert(id, authorId, post, String.join("\n", post.media()), created, idempotencyKey);
		return new PostSummary(Long.toString(id), Long.toString(authorId), post.type(), post.title(), post.cover(),
				created.toString(), null);
	}

	/**
	 * Stores a repost of {@code originalId} (never itself a repost), fan-out not yet
	 * enqueued.
	 */
	public PostSummary insertRepost(long id, long authorId, long originalId, String text, String idempotencyKey) {
		Instant created = Instant.ofEpochMilli(IdGenerator.epochMsOf(id));
		this.db.insertRepost(id, authorId, PostSummary.REPOST, text, created, idempotencyKey, originalId);
		return new PostSummary(Long.toString(id), Long.toString(authorId), PostSummary.REPOST, text, null,
				created.toString(), null, Long.toString(originalId), null, null);
	}

	/**
	 * Removes a repost that could not be counted (before its fan-out was enqueued: nobody
	 * saw it).
	 */
	public void deleteUnannounced(long id) {
		this.db.deleteUnannounced(id);
	}

	/** A visible post's summary (a repost's without its original), if it is visible. */
	public Optional<PostSummary> visibleSummary(long id) {
		return Optional.ofNullable(this.db.summaryRow(id)).filter(row -> row.status() == 0).map(Posts::summary);
	}

	/**
	 * The summary of a stored row: no body, no media; a repost names its original without
	 * it.
	 */
	static PostSummary summary(PostMapper.Row row) {
		return new PostSummary(Long.toString(row.id()), Long.toString(row.authorId()), row.type(), row.title(),
				row.cover(), row.createdAt().toString(),
				row.liveRoomId() == null ? null : Long.toString(row.liveRoomId()),
				row.repostOf() == null ? null : Long.toString(row.repostOf()), null, null);
	}

	/** A row's media URLs, in order. */
	static List<String> media(PostMapper.Row row) {
		return row.media() == null || row.media().isEmpty() ? List.of() : List.of(row.media().split("\n"));
	}

	/**
	 * The author's post created under {@code idempotencyKey}: its answer and what it was
	 * created from.
	 */
	public Optional<Keyed> byIdempotencyKey(long authorId, String idempotencyKey) {
		return Optional.ofNullable(this.db.byIdempotencyKey(authorId, idempotencyKey)).map(row -> {
			PostSummary summary = summary(row);
			return new Keyed(summary,
					new NewPost(summary.type(), summary.title(), row.body(), media(row), summary.cover()));
		});
	}

	/** A post found by its idempotency key. */
	public record Keyed(PostSummary answer, NewPost request) {
	}

	public void fanOutEnqueued(long id) {
		this.db.fanOutEnqueued(id);
	}

	/**
	 * Who wrote a post and whether it was retracted (issue 20: a record, not a
	 * {@code long[]}).
	 */
	public record Ownership(long authorId, boolean retracted) {
	}

	/** The post's author and retraction, if the post exists. */
	public Optional<Ownership> ownership(long id) {
		return Optional.ofNullable(this.db.summaryRow(id)).map(row -> new Ownership(row.authorId(), row.status() == 1));
	}

	public boolean retract(long id) {
		return this.db.retract(id) == 1;
	}

	/** The newest visible post ids of an author: rebuilds a lost outbox. */
	public List<Long> newestIds(long authorId, int limit) {
		return this.db.newestIds(authorId, limit);
	}

	/**
	 * Posts whose fan-out was never enqueued (the process died between insert and send),
	 * older than {@code beforeId}.
	 */
	public List<Unannounced> unannounced(long beforeId, int limit) {
		return this.db.unannounced(beforeId, limit);
	}

	/** A post whose fan-out was never enqueued, and its author. */
	public record Unannounced(long id, long authorId) {
	}

}
