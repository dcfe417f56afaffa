package dev.feedplatform.runtime.ports;

import java.util.List;
import java.util.Map;

/**
 * Posts' counts, latency-first (may lag writes by a short bounded time). Owned by the
 * counter server.
 */
public interface PostCounts {

	/** Counts of the existing posts among the ids; unknown ids are absent. */
	Map<Long, Counts> counts(List<Long> postIds);

	record Counts(long likes, long views, long favorites, long shares, long comments) {
	}

}
