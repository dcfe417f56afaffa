package dev.feedplatform.detailaggregator.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.id.IdGenerator;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import dev.feedplatform.runtime.ports.PostRecord;
import dev.feedplatform.runtime.ports.ViewHistory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The detail pages each user opened (issue 19: {@code GET /api/users/me/history}),
 * written without slowing the page: an open is one map put into this node's buffer, and
 * every {@code feed.detail.history-flush} the buffer goes to MariaDB as one multi-row
 * upsert — opens of one post by one user in the meantime merged into one row write, as
 * the counters merge increments. The row takes the latest open's record id, so a re-open
 * moves the post to the top; each user keeps their newest {@code feed.detail.history-cap}
 * posts (older rows are deleted as the flush writes new ones).
 *
 * <p>
 * A crash loses at most the opens of the last interval, and a flush that fails is dropped
 * (logged): history is a convenience the client never waited on, unlike a view, whose
 * count goes through the counters' durable path.
 */
@Component
public class OpenedPages implements ViewHistory, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(OpenedPages.class);

	/** Rows per upsert statement. */
	static final int CHUNK = 500;

	/**
	 * One open: the record id is minted when the page is opened, so the order is the
	 * opens' order.
	 */
	record Open(long userId, long postId, long id) {
	}

	private record Key(long userId, long postId) {
	}

	private final HistoryMapper mapper;

	private final LeasedIdGenerator ids;

	private final HistorySettings settings;

	/**
	 * Opens since the last flush; swapped for an empty map by the flush, under the write
	 * lock, so no open lands in a map being written.
	 */
	private Map<Key, Long> buffer = new ConcurrentHashMap<>();

	private final ReentrantReadWriteLock swap = new ReentrantReadWriteLock();

	OpenedPages(HistoryMapper mapper, LeasedIdGenerator ids, HistorySettings settings) {
		this.mapper = mapper;
		this.ids = ids;
		this.settings = settings;
	}

	/** Records that the user opened the post's detail page (now). */
	public void opened(long userId, long postId) {
		long id = this.ids.next();
		this.swap.readLock().lock();
		try {
			this.buffer.merge(new Key(userId, postId), id, Math::max);
		}
		finally {
			this.swap.readLock().unlock();
		}
	}

	@Override
	public List<PostRecord> opened(long userId, long belowId, int limit) {
		return this.mapper.page(userId, belowId, limit)
			.stream()
			.map(row -> new PostRecord(row.id(), row.postId(), IdGenerator.epochMsOf(row.id())))
			.toList();
	}

	@Scheduled(fixedDelayString = "${feed.detail.history-flush:500ms}")
	void flush() {
		Map<Key, Long> opens;
		this.swap.writeLock().lock();
		try {
			opens = this.buffer;
			this.buffer = new ConcurrentHashMap<>();
		}
		finally {
			this.swap.writeLock().unlock();
		}
		if (opens.isEmpty()) {
			return;
		}
		try {
			List<Open> rows = new ArrayList<>(opens.size());
			opens.forEach((key, id) -> rows.add(new Open(key.userId(), key.postId(), id)));
			// Rows in key order: two nodes' flushes touching the same rows lock them in
			// the same order, so they can't deadlock.
			rows.sort(java.util.Comparator.comparingLong(Open::userId).thenComparingLong(Open::postId));
			for (int from = 0; from < rows.size(); from += CHUNK) {
				this.mapper.upsert(rows.subList(from, Math.min(rows.size(), from + CHUNK)));
			}
			Set<Long> users = new TreeSet<>();
			rows.forEach(row -> users.add(row.userId()));
			for (long user : users) {
				Long past = this.mapper.pastCap(user, this.settings.historyCap());
				if (past != null) {
					this.mapper.deleteFrom(user, past);
				}
			}
		}
		catch (RuntimeException ex) {
			log.warn("{} history records not written: {}", opens.size(), ex.toString());
		}
	}

	@Override
	public void destroy() {
		flush();
	}

}
