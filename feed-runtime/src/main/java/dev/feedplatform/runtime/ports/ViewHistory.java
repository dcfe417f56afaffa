package dev.feedplatform.runtime.ports;

import java.util.List;

/**
 * The detail pages a user opened, once per post, the latest open first. Owned by the
 * detail aggregator (issue 19).
 */
public interface ViewHistory {

	/**
	 * Up to {@code limit} records with ids below {@code belowId}, newest first (retracted
	 * posts included: the reader filters).
	 */
	List<PostRecord> opened(long userId, long belowId, int limit);

}
