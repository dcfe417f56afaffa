package dev.feedplatform.detailaggregator.comment;

import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.EmptyResultDataAccessException;

import java.util.List;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.error.Require;
import dev.feedplatform.common.paging.Page;
import dev.feedplatform.common.paging.PageRequest;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import dev.feedplatform.runtime.ports.PostGuard;
import dev.feedplatform.runtime.ports.CounterIncrements;
import org.springframework.stereotype.Component;

/**
 * Comments: stored in MariaDB (the durable record), paged newest first by id, the post's
 * comment count moved through the counter server once the comment is stored (a comment
 * stored while the count can't move is kept, and its count is one short). Posts that are
 * missing, retracted or blacklisted take no comments and show none (404).
 */
@Component
public class Comments {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Comments.class);

	static final int MAX_CHARS = 2_000;

	private final CommentMapper db;

	private final LeasedIdGenerator ids;

	private final CounterIncrements counters;

	private final PostGuard guard;

	Comments(CommentMapper db, LeasedIdGenerator ids, CounterIncrements counters, PostGuard guard) {
		this.guard = guard;
		this.db = db;
		this.ids = ids;
		this.counters = counters;
	}

	/**
	 * Adds a comment. With an {@code Idempotency-Key} the author already used, answers
	 * that comment again if it was for the same post and text, else 409; nothing is
	 * stored twice (issue 14).
	 */
	CommentView add(long postId, long authorId, String text, String idempotencyKey) {
		String body = Require.text(text, "text", MAX_CHARS);
		String key = Require.idempotencyKey(idempotencyKey, "Idempotency-Key");
		if (key != null) {
			Optional<CommentView> earlier = byIdempotencyKey(authorId, key);
			if (earlier.isPresent()) {
				return replay(earlier.get(), postId, body);
			}
		}
		this.guard.requireWritable(postId);
		long id = this.ids.next();
		try {
			this.db.insert(id, postId, authorId, body, key);
		}
		catch (DuplicateKeyException race) {
			return replay(byIdempotencyKey(authorId, key).orElseThrow(() -> race), postId, body);
		}
		try {
			this.counters.comments(postId, 1);
		}
		catch (RuntimeException ex) {
			// Stored is stored: a retry with the same Idempotency-Key may already have
			// been answered
			// 201 with this row, so it is never deleted (the count may then be one short;
			// the rows are
			// the record of truth).
			log.warn("comment {} on post {} is stored but not counted: {}", id, postId, ex.toString());
		}
		CommentMapper.Row stored = this.db.row(id);
		if (stored == null) {
			// Stored just above: its absence is a failure, not a missing comment.
			throw new EmptyResultDataAccessException(1);
		}
		return view(stored);
	}

	private Optional<CommentView> byIdempotencyKey(long authorId, String key) {
		return Optional.ofNullable(this.db.byIdempotencyKey(authorId, key)).map(Comments::view);
	}

	private static CommentView replay(CommentView earlier, long postId, String body) {
		if (!earlier.postId().equals(Long.toString(postId)) || !earlier.text().equals(body)) {
			throw Problem.conflict("Idempotency-Key was already used for a different comment");
		}
		return earlier;
	}

	public Page<CommentView> page(long postId, PageRequest request) {
		// the same rule as writes: missing, retracted or blacklisted is 404
		this.guard.requireWritable(postId);
		return pageOfVisible(postId, request);
	}

	/** A page for a post already known to be visible (the detail page checked it). */
	public Page<CommentView> pageOfVisible(long postId, PageRequest request) {
		List<CommentView> rows = this.db.below(postId, request.below(), request.size() + 1)
			.stream()
			.map(Comments::view)
			.toList();
		return Page.fromOverfetch(rows, request.size(), c -> Long.parseLong(c.id()));
	}

	private static CommentView view(CommentMapper.Row row) {
		return new CommentView(Long.toString(row.id()), Long.toString(row.postId()), Long.toString(row.authorId()),
				row.body(), row.createdAt().toString());
	}

}
