package dev.feedplatform.counterserver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.lock.Leadership;
import org.redisson.api.RedissonClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Closes the crash window of likes and favorites. An instance that dies after a reaction
 * row is committed (or deleted) but before its merge window reaches the broker leaves the
 * row and the count disagreeing for good; the client's retry is a no-op, so an answered
 * like can go uncounted.
 *
 * <p>
 * Every {@code feed.counters.reconcile-interval-ms}, one instance (a Redisson lock it
 * keeps while it lives) looks at the next chunk of posts with reactions or counts (a
 * cursor that wraps around): the rows of each kind, and the counts with their row
 * version, from one consistent snapshot. A post whose rows and counts disagree may just
 * have a delta on its way, so it is looked at again after
 * {@code feed.counters.reconcile-quiet}. Only if nothing about it changed in between
 * (same row counts, same version: no delta was applied and no reaction came or went) is
 * the difference a lost delta, and it is sent as a correcting delta through the normal
 * path (merged, durable on the broker, applied exactly once). A delta delayed longer than
 * the quiet period would be counted twice; with the broker down, likes are refused
 * instead of delayed, so none is expected.
 */
@Component
class ReactionReconciler implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(ReactionReconciler.class);

	/** What one look at a post saw. */
	record Observation(long likeRows, long favoriteRows, long likes, long favorites, long version) {

		boolean agrees() {
			return this.likeRows == this.likes && this.favoriteRows == this.favorites;
		}

	}

	private record Suspect(Observation seen, long atNanos) {
	}

	private final CounterMapper counters;

	private final ReactionMapper reactions;

	private final TransactionTemplate transactions;

	private final StringRedisTemplate redis;

	private final WriteMerger merger;

	private final CounterSettings settings;

	/**
	 * The right to reconcile, held by one instance at a time and kept while it lives
	 * (sticky: its suspects stay valid).
	 */
	private final Leadership leadership;

	private final Map<Long, Suspect> suspects = new LinkedHashMap<>();

	private final Counter corrected;

	ReactionReconciler(CounterMapper counters, ReactionMapper reactions, TransactionTemplate transactions,
			StringRedisTemplate redis, RedissonClient redisson, WriteMerger merger, CounterSettings settings,
			MeterRegistry meters) {
		this.counters = counters;
		this.reactions = reactions;
		this.transactions = transactions;
		this.redis = redis;
		this.leadership = new Leadership(redisson, RedisKeys.countersReconcileLock());
		this.merger = merger;
		this.settings = settings;
		this.corrected = Counter.builder("feed.counters.reconciled")
			.description("like/favorite counts corrected to their rows after a lost delta")
			.register(meters);
	}

	@Scheduled(fixedDelayString = "${feed.counters.reconcile-interval-ms:60000}",
			initialDelayString = "${feed.counters.reconcile-interval-ms:60000}")
	synchronized void tick() {
		if (!holdLock()) {
			// another instance reconciles; what was seen here goes stale
			this.suspects.clear();
			return;
		}
		recheckSuspects();
		scanNextChunk();
	}

	private boolean holdLock() {
		try {
			return this.leadership.hold();
		}
		catch (RuntimeException ex) {
			log.debug("could not check the reconciliation lock: {}", ex.toString());
			return false;
		}
	}

	/** Hands the role on at once instead of after the lock's watchdog timeout. */
	@Override
	public void destroy() {
		this.leadership.release();
	}

	private void recheckSuspects() {
		long now = System.nanoTime();
		List<Long> due = new ArrayList<>();
		this.suspects.forEach((post, suspect) -> {
			if (now - suspect.atNanos() >= this.settings.reconcileQuiet().toNanos()) {
				due.add(post);
			}
		});
		if (due.isEmpty()) {
			return;
		}
		Map<Long, Observation> again = observe(due);
		for (Long post : due) {
			Observation before = this.suspects.remove(post).seen();
			Observation after = again.get(post);
			if (Objects.equals(before, after) && !after.agrees()) {
				correct(post, after);
			}
		}
	}

	private void correct(long post, Observation seen) {
		long likes = seen.likeRows() - seen.likes();
		long favorites = seen.favoriteRows() - seen.favorites();
		if (likes != 0) {
			this.merger.addAndWait(post, CounterField.LIKES, likes);
		}
		if (favorites != 0) {
			this.merger.addAndWait(post, CounterField.FAVORITES, favorites);
		}
		this.corrected.increment();
		log.warn("post {}: likes {} → {}, favorites {} → {} (a delta was lost, e.g. with a crashed instance)", post,
				seen.likes(), seen.likeRows(), seen.favorites(), seen.favoriteRows());
	}

	/**
	 * Posts after the cursor that have reaction rows or a counter row; the cursor wraps
	 * to 0 at the end.
	 */
	private void scanNextChunk() {
		String cursorKey = RedisKeys.countersReconcileCursor();
		String raw = this.redis.opsForValue().get(cursorKey);
		long after = raw == null ? 0 : Long.parseLong(raw);
		int chunk = this.settings.reconcileChunk();
		TreeSet<Long> ids = new TreeSet<>();
		ids.addAll(this.counters.postsAfter(after, chunk));
		ids.addAll(this.reactions.postsAfter(after, chunk));
		List<Long> next = ids.stream().limit(chunk).toList();
		this.redis.opsForValue().set(cursorKey, next.isEmpty() ? "0" : Long.toString(next.getLast()));
		if (next.isEmpty()) {
			return;
		}
		long now = System.nanoTime();
		observe(next).forEach((post, seen) -> {
			if (!seen.agrees()) {
				this.suspects.putIfAbsent(post, new Suspect(seen, now));
			}
		});
	}

	/**
	 * Rows and counts of the posts from one snapshot (a read-only transaction: both
	 * queries see the same moment).
	 */
	Map<Long, Observation> observe(List<Long> posts) {
		return this.transactions.execute(status -> {
			Map<Long, long[]> rows = new HashMap<>();
			for (ReactionMapper.KindCount count : this.reactions.countsByKind(posts)) {
				rows.computeIfAbsent(count.postId(), id -> new long[2])[count.kind() == 1 ? 0 : 1] = count
					.reactionRows();
			}
			Map<Long, CounterMapper.Row> counts = new HashMap<>();
			for (CounterMapper.Row row : this.counters.rows(posts)) {
				counts.put(row.postId(), row);
			}
			Map<Long, Observation> seen = new LinkedHashMap<>();
			for (Long post : posts) {
				long[] r = rows.getOrDefault(post, new long[2]);
				CounterMapper.Row c = counts.get(post);
				seen.put(post, c == null ? new Observation(r[0], r[1], 0, 0, 0)
						: new Observation(r[0], r[1], c.likes(), c.favorites(), c.version()));
			}
			return seen;
		});
	}

}
