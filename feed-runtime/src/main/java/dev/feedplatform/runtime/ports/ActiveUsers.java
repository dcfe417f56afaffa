package dev.feedplatform.runtime.ports;

import java.util.List;

/**
 * Which users were active lately: fan-out pushes only to those. Owned by the user module
 * (the last-active index in Redis, 64 sorted sets {@code users:last-active:{n}} and its
 * durable copy, {@code users.last_active_at}).
 */
public interface ActiveUsers {

	/**
	 * The users among {@code userIds} last seen at or after {@code sinceEpochMs}, in the
	 * given order. A user the Redis index doesn't know (it lost its data) is answered
	 * from MariaDB and put back into the index, so a lost index never makes fan-out skip
	 * a live inbox.
	 */
	List<Long> activeAmong(List<Long> userIds, long sinceEpochMs);

	/**
	 * Like {@link #activeAmong}, with when each was last seen (epoch ms), in the given
	 * order: big accounts pick their core fans, the most recently active followers, from
	 * it.
	 */
	java.util.LinkedHashMap<Long, Long> lastSeenAmong(List<Long> userIds, long sinceEpochMs);

}
