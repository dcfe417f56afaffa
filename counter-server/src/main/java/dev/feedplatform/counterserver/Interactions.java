package dev.feedplatform.counterserver;

import dev.feedplatform.runtime.ports.PostGuard;

import org.springframework.stereotype.Component;

/**
 * The write side of interactions: likes and favorites change the reaction row first (the
 * durable, exact record of who did what) and then feed the row's delta into the merger;
 * shares and views are plain increments. Each call returns once its increment is durable
 * on the broker. A post that is missing, retracted or blacklisted takes none of them
 * (404, {@link PostGuard}).
 */
@Component
class Interactions {

	private final PostGuard posts;

	private final Reactions reactions;

	private final WriteMerger merger;

	Interactions(PostGuard posts, Reactions reactions, WriteMerger merger) {
		this.posts = posts;
		this.reactions = reactions;
		this.merger = merger;
	}

	void react(long postId, long userId, Reactions.Kind kind) {
		this.posts.requireWritable(postId);
		if (this.reactions.add(postId, userId, kind)) {
			try {
				this.merger.addAndWait(postId, kind.field, 1);
			}
			catch (RuntimeException ex) {
				// not counted, so not kept: the client's retry starts clean
				this.reactions.remove(postId, userId, kind);
				throw ex;
			}
		}
	}

	void unreact(long postId, long userId, Reactions.Kind kind) {
		this.posts.requireWritable(postId);
		if (this.reactions.remove(postId, userId, kind)) {
			try {
				this.merger.addAndWait(postId, kind.field, -1);
			}
			catch (RuntimeException ex) {
				this.reactions.add(postId, userId, kind);
				throw ex;
			}
		}
	}

	void increment(long postId, CounterField field) {
		this.posts.requireWritable(postId);
		this.merger.addAndWait(postId, field, 1);
	}

}
