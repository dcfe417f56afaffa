package dev.feedplatform.runtime.ports;

/**
 * Moves a post's count; returns once the increment is durable. Owned by the counter
 * server.
 */
public interface CounterIncrements {

	/** A comment was added ({@code +1}) or removed ({@code -1}). */
	void comments(long postId, long delta);

	/** A repost of the post was made ({@code +1}; issue 19). */
	void shares(long postId, long delta);

}
