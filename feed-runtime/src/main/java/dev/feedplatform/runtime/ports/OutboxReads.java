package dev.feedplatform.runtime.ports;

import java.util.List;

/**
 * Reads of the authors' outboxes (a Redis sorted set of an author's newest post ids plus
 * a floor key saying from which id on it is complete), owned by the publish module, which
 * alone writes them (issue 20). The timeline's pull reads through this port: each call is
 * one pipelined round trip for all the authors given.
 */
public interface OutboxReads {

	/**
	 * What one author's outbox answered.
	 *
	 * @param floor the id from which on the outbox is complete, or null when the outbox
	 * is lost (Redis restarted or evicted it): the database must answer for this author
	 * @param ids post ids, newest first
	 */
	record Slice(Long floor, List<Long> ids) {

		public boolean lost() {
			return this.floor == null;
		}

	}

	/**
	 * The newest {@code count} ids of each author's outbox, in the order of
	 * {@code authors}.
	 */
	List<Slice> newest(List<Long> authors, int count);

	/**
	 * Up to {@code limit} ids of each author's outbox in {@code (above, below)}, newest
	 * first, in the order of {@code authors}.
	 */
	List<Slice> range(List<Long> authors, long above, long below, int limit);

	/**
	 * The newest post id of each big account (issue 19), in the order of {@code authors};
	 * null where none is recorded.
	 */
	List<Long> latestOfBigAccounts(List<Long> authors);

}
