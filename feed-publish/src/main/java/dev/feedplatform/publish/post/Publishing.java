package dev.feedplatform.publish.post;

import java.util.Optional;

import dev.feedplatform.runtime.messaging.EventJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.publish.store.Posts;
import dev.feedplatform.publish.store.NewPost;
import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.error.Require;
import org.springframework.dao.DuplicateKeyException;

import dev.feedplatform.publish.events.PostPublished;
import dev.feedplatform.common.id.IdGenerator;
import dev.feedplatform.common.posts.PostSummary;
import dev.feedplatform.publish.outbox.Outboxes;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.runtime.ports.CounterIncrements;
import dev.feedplatform.runtime.ports.PostGuard;
import dev.feedplatform.runtime.ports.SocialGraph;
import org.springframework.stereotype.Component;

/**
 * Publishing a post: store it, add it to the author's outbox, enqueue fan-out, answer.
 * The answer never waits for fan-out, so a creator with 20,000 fans publishes as fast as
 * one with 10.
 *
 * <p>
 * Once the row is stored the post is published: its {@code fanout_state = 0} is the
 * fan-out intent (a transactional outbox in the row itself), so a failure after the
 * insert — the broker down, Redis down, the process dying — still answers 201 and the
 * recovery sweep enqueues the fan-out later. A failure before the insert stores nothing
 * and answers 503: "failed" never means "stored anyway" (issue 14). An
 * {@code Idempotency-Key} makes a retry answer the first post (same body) or 409 (a
 * different body) instead of storing a second one.
 */
@Component
class Publishing {

	private static final Logger log = LoggerFactory.getLogger(Publishing.class);

	private final Posts posts;

	private final Outboxes outboxes;

	private final RocketMq rocketMq;

	private final LeasedIdGenerator ids;

	private final PostGuard guard;

	private final CounterIncrements counters;

	private final SocialGraph graph;

	Publishing(Posts posts, Outboxes outboxes, RocketMq rocketMq, LeasedIdGenerator ids, PostGuard guard,
			CounterIncrements counters, SocialGraph graph) {
		this.graph = graph;
		this.guard = guard;
		this.counters = counters;
		this.posts = posts;
		this.outboxes = outboxes;
		this.rocketMq = rocketMq;
		this.ids = ids;
	}

	PostSummary publish(long authorId, PostRequest request, String idempotencyKey) {
		NewPost post = request.validate();
		String key = Require.idempotencyKey(idempotencyKey, "Idempotency-Key");
		if (key != null) {
			Optional<Posts.Keyed> earlier = this.posts.byIdempotencyKey(authorId, key);
			if (earlier.isPresent()) {
				return replay(earlier.get(), post);
			}
		}
		long id = this.ids.next();
		PostSummary summary;
		try {
			summary = this.posts.insert(id, authorId, post, key);
		}
		catch (DuplicateKeyException race) {
			// The same key inserted concurrently (a client retrying before its first call
			// answered).
			return replay(this.posts.byIdempotencyKey(authorId, key).orElseThrow(() -> race), post);
		}
		announce(id, authorId);
		return summary;
	}

	/**
	 * Reposts {@code postId} (issue 19, seed 003 转发) with an optional text: a REPOST post
	 * that fans out like any other and counts once in the original's {@code shares}.
	 * Reposting a repost reposts its original, so chains never form and one check of the
	 * original hides every repost.
	 * @throws Problem 404 when the post (or its original) is missing, retracted or
	 * blacklisted; 400 a text over {@value PostRequest#MAX_TITLE} characters; 409 a key
	 * used for something else
	 */
	PostSummary repost(long authorId, long postId, String text, String idempotencyKey) {
		String key = Require.idempotencyKey(idempotencyKey, "Idempotency-Key");
		String said = text == null ? "" : text.strip();
		if (said.length() > PostRequest.MAX_TITLE) {
			throw Problem.badRequest("text must be at most " + PostRequest.MAX_TITLE + " characters");
		}
		this.guard.requireWritable(postId);
		PostSummary shared = this.posts.visibleSummary(postId).orElseThrow(() -> Problem.notFound("no post " + postId));
		long originalId = shared.contentId();
		if (originalId != postId) {
			this.guard.requireWritable(originalId);
		}
		PostSummary original = originalId == postId ? shared
				: this.posts.visibleSummary(originalId).orElseThrow(() -> Problem.notFound("no post " + originalId));
		NewPost asked = new NewPost(PostSummary.REPOST, said, null, java.util.List.of(), null);
		if (key != null) {
			Optional<Posts.Keyed> earlier = this.posts.byIdempotencyKey(authorId, key);
			if (earlier.isPresent()) {
				return replayRepost(earlier.get(), asked, originalId).withOriginal(original);
			}
		}
		long id = this.ids.next();
		PostSummary summary;
		try {
			summary = this.posts.insertRepost(id, authorId, originalId, said, key);
		}
		catch (DuplicateKeyException race) {
			return replayRepost(this.posts.byIdempotencyKey(authorId, key).orElseThrow(() -> race), asked, originalId)
				.withOriginal(original);
		}
		try {
			this.counters.shares(originalId, 1);
		}
		catch (RuntimeException ex) {
			// Not counted, so not kept (nobody saw it: its fan-out was not enqueued); the
			// client's retry starts clean.
			this.posts.deleteUnannounced(id);
			throw ex;
		}
		announce(id, authorId);
		return summary.withOriginal(original);
	}

	/**
	 * Outbox and fan-out of a stored post; what fails here is left to the recovery sweep.
	 */
	private void announce(long id, long authorId) {
		try {
			this.outboxes.add(authorId, id);
			boolean big = this.graph.isBig(authorId);
			if (big) {
				this.outboxes.markLatest(authorId, id);
			}
			this.rocketMq.send(PostPublished.TOPIC, Long.toString(id),
					EventJson.encode(new PostPublished(id, authorId, IdGenerator.epochMsOf(id), big)));
			this.posts.fanOutEnqueued(id);
		}
		catch (RuntimeException ex) {
			log.warn("post {} is stored; its fan-out is left to the recovery sweep: {}", id, ex.toString());
		}
	}

	private static PostSummary replayRepost(Posts.Keyed earlier, NewPost asked, long originalId) {
		if (!earlier.request().equals(asked) || earlier.answer().repostOf() == null
				|| earlier.answer().contentId() != originalId) {
			throw Problem.conflict("Idempotency-Key was already used for a different post");
		}
		return earlier.answer();
	}

	private static PostSummary replay(Posts.Keyed earlier, NewPost post) {
		if (!earlier.request().equals(post)) {
			throw Problem.conflict("Idempotency-Key was already used for a different post");
		}
		return earlier.answer();
	}

}
