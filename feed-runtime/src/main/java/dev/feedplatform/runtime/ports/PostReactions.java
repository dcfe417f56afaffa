package dev.feedplatform.runtime.ports;

import java.util.List;

/**
 * Exact per-user reactions, read from the durable record (a user sees their own like at
 * once). Owned by the counter server.
 */
public interface PostReactions {

	boolean liked(long userId, long postId);

	boolean favorited(long userId, long postId);

	/**
	 * The user's likes with record ids below {@code belowId}, newest first, at most
	 * {@code limit} (issue 19).
	 */
	List<PostRecord> likes(long userId, long belowId, int limit);

	/** The user's favorites, like {@link #likes}. */
	List<PostRecord> favorites(long userId, long belowId, int limit);

}
