package dev.feedplatform.searchsync.node;

/**
 * What one post's document must become: {@code doc}, or gone when {@code doc} is null
 * (deleted, retracted or blacklisted). {@code version} orders writes (see
 * {@code BinlogVersion}): the node keeps whichever write carries the highest, whatever
 * order they arrive in.
 */
public record DocChange(long postId, long version, PostDocument doc) {

	public boolean delete() {
		return this.doc == null;
	}

}
