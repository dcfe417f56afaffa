package dev.feedplatform.runtime.ports;

/** Exact per-user reactions, read from the durable record (a user sees their own like at once). Owned by the counter server. */
public interface PostReactions {

	boolean liked(long userId, long postId);

	boolean favorited(long userId, long postId);

}
