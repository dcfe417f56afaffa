package dev.feedplatform.searchsync.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.searchsync.SearchSettings;
import dev.feedplatform.searchsync.node.DocChange;
import dev.feedplatform.searchsync.node.PostDocument;
import dev.feedplatform.searchsync.node.PostIndex;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * What the sync leader does besides following the binlog: build the index the first time,
 * rebuild it on request, and reconcile it with MariaDB on a schedule. Rebuilds and
 * reconciliations run on their own thread; the binlog keeps flowing meanwhile.
 *
 * <p>
 * <b>Rebuild</b>: a new concrete index gets the build alias, the sync starts writing
 * every change to it as well (and this waits until it has), then every post is copied
 * from MariaDB in id order, each chunk stamped with a snapshot version; finally one alias
 * change moves searches to the new index and the old one is dropped. A change that lands
 * during the copy reaches the new index either through the copy (read after it) or
 * through the sync (newer version), never lost.
 *
 * <p>
 * <b>Reconciliation</b> walks the ids in chunks and compares MariaDB's visible posts with
 * the documents' fingerprints: missing documents are written, documents of posts that are
 * gone are deleted, documents whose fingerprint differs are rewritten. It is the backstop
 * for drift no binlog consumer can see (a document deleted by hand, a node restored from
 * an old snapshot).
 */
public class IndexMaintenance {

	private static final Logger log = LoggerFactory.getLogger(IndexMaintenance.class);

	private static final int CHUNK = 1000;

	private final SearchSettings settings;

	private final PostSource source;

	private final PostIndex index;

	private final StringRedisTemplate redis;

	private final MeterRegistry meters;

	private final ExecutorService worker = Executors
		.newSingleThreadExecutor(Thread.ofPlatform().name("search-maintenance").daemon().factory());

	private final AtomicBoolean busy = new AtomicBoolean();

	private long nextCheck;

	private long nextReconcile;

	/**
	 * This sync's destination's request and status keys (per destination, see
	 * {@link RedisKeys}).
	 */
	private final String rebuildRequestKey;

	private final String reconcileRequestKey;

	private final String statusKey;

	public IndexMaintenance(SearchSettings settings, PostSource source, PostIndex index, StringRedisTemplate redis,
			MeterRegistry meters) {
		this.settings = settings;
		this.rebuildRequestKey = RedisKeys.searchRebuildRequest(settings.destination());
		this.reconcileRequestKey = RedisKeys.searchReconcileRequest(settings.destination());
		this.statusKey = RedisKeys.searchStatus(settings.destination());
		this.source = source;
		this.index = index;
		this.redis = redis;
		this.meters = meters;
		this.nextReconcile = System.currentTimeMillis() + settings.reconcileInterval().toMillis();
	}

	/**
	 * Called by the sync loop between batches, on the leader only; cheap unless there is
	 * work.
	 */
	void tick(BinlogSync sync) {
		long now = System.currentTimeMillis();
		if (now < this.nextCheck || this.busy.get()) {
			return;
		}
		this.nextCheck = now + 1_000;
		if (this.index.indicesOf(this.index.readAlias()).isEmpty()) {
			// First start against this node: nothing to follow into yet. Build it here,
			// before the
			// first batch; the binlog waits unacknowledged in Canal meanwhile.
			rebuild(null);
			sync.targetsChanged();
			return;
		}
		if (this.redis.hasKey(this.rebuildRequestKey)) {
			submit(() -> {
				String requested = this.redis.opsForValue().get(this.rebuildRequestKey);
				rebuild(sync);
				if (requested != null && requested.equals(this.redis.opsForValue().get(this.rebuildRequestKey))) {
					this.redis.delete(this.rebuildRequestKey);
				}
			});
		}
		else if (now >= this.nextReconcile || this.redis.hasKey(this.reconcileRequestKey)) {
			this.nextReconcile = now + this.settings.reconcileInterval().toMillis();
			submit(() -> {
				this.redis.delete(this.reconcileRequestKey);
				reconcile();
			});
		}
	}

	private void submit(Runnable task) {
		this.busy.set(true);
		this.worker.execute(() -> {
			try {
				task.run();
			}
			catch (RuntimeException ex) {
				log.warn("search index maintenance failed: {}", ex.toString());
				this.nextCheck = System.currentTimeMillis() + 10_000;
			}
			finally {
				this.busy.set(false);
			}
		});
	}

	/**
	 * Copies every visible post into a fresh index and moves the read alias to it. With a
	 * running {@code sync} the copy waits until the sync also writes into the new index;
	 * without one (the first build, run by the sync loop itself) no change can be missed:
	 * the loop resumes from its unacknowledged position afterwards.
	 */
	public Map<String, Long> rebuild(BinlogSync sync) {
		long started = System.currentTimeMillis();
		status("rebuild_state", "running", "rebuild_started_ms", Long.toString(started));
		for (String half : this.index.indicesOf(this.settings.buildingAlias())) {
			this.index.drop(half); // left by a leader that died mid-rebuild
		}
		Set<String> previous = this.index.indicesOf(this.index.readAlias());
		String fresh = this.index.createIndex();
		try {
			this.index.markBuilding(fresh);
			if (sync != null) {
				awaitTargets(sync);
			}
			long copied = 0;
			long after = Long.MIN_VALUE;
			while (true) {
				List<Long> ids = this.source.idsAfter(after, CHUNK);
				if (ids.isEmpty()) {
					break;
				}
				long version = this.source.snapshotVersion();
				Map<Long, PostDocument> docs = this.source.visible(ids);
				List<BulkOperation> ops = new ArrayList<>(docs.size());
				for (PostDocument doc : docs.values()) {
					ops.add(PostIndex.operation(fresh, new DocChange(doc.id(), version, doc)));
				}
				this.index.write(ops);
				copied += docs.size();
				after = ids.get(ids.size() - 1);
			}
			this.index.publish(fresh, previous);
			if (sync != null) {
				// The sync stops writing to the old index before it is dropped.
				awaitTargets(sync);
			}
			for (String old : previous) {
				if (!old.equals(fresh)) {
					this.index.drop(old);
				}
			}
			long took = System.currentTimeMillis() - started;
			log.info("search index rebuilt into {}: {} posts in {} ms", fresh, copied, took);
			status("rebuild_state", "done", "rebuild_index", fresh, "rebuild_posts", Long.toString(copied),
					"rebuild_finished_ms", Long.toString(System.currentTimeMillis()), "rebuild_took_ms",
					Long.toString(took));
			return Map.of("posts", copied, "took_ms", took);
		}
		catch (RuntimeException ex) {
			this.index.drop(fresh);
			status("rebuild_state", "failed: " + ex.getMessage());
			throw ex;
		}
	}

	private static void awaitTargets(BinlogSync sync) {
		try {
			sync.refreshTargetsAndWait(30_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/**
	 * Compares the live index with MariaDB and repairs every difference; returns what it
	 * repaired.
	 */
	public Map<String, Long> reconcile() {
		long started = System.currentTimeMillis();
		Set<String> live = this.index.indicesOf(this.index.readAlias());
		if (live.size() != 1) {
			throw new IllegalStateException("expected one index behind " + this.index.readAlias() + ", found " + live);
		}
		String target = live.iterator().next();
		long missing = 0;
		long extra = 0;
		long drifted = 0;
		long checked = 0;
		long after = Long.MIN_VALUE;
		boolean last = false;
		while (!last) {
			List<Long> ids = this.source.idsAfter(after, CHUNK);
			last = ids.size() < CHUNK;
			long upTo = last ? Long.MAX_VALUE : ids.get(ids.size() - 1);
			long version = this.source.snapshotVersion();
			Map<Long, PostDocument> docs = this.source.visible(ids);
			Map<Long, String> indexed = this.index.fingerprints(target, after, upTo);
			List<BulkOperation> repairs = new ArrayList<>();
			for (PostDocument doc : docs.values()) {
				String fp = indexed.get(doc.id());
				if (fp == null || !fp.equals(doc.fp())) {
					if (fp == null) {
						missing++;
					}
					else {
						drifted++;
					}
					repairs.add(PostIndex.operation(target, new DocChange(doc.id(), version, doc)));
				}
			}
			for (Long id : indexed.keySet()) {
				if (!docs.containsKey(id)) {
					extra++;
					repairs.add(PostIndex.operation(target, new DocChange(id, version, null)));
				}
			}
			this.index.write(repairs);
			checked += docs.size();
			after = upTo;
		}
		Map<String, Long> result = new HashMap<>();
		result.put("checked", checked);
		result.put("missing", missing);
		result.put("extra", extra);
		result.put("drifted", drifted);
		this.meters.counter("feed.search.reconcile.repaired", "kind", "missing").increment(missing);
		this.meters.counter("feed.search.reconcile.repaired", "kind", "extra").increment(extra);
		this.meters.counter("feed.search.reconcile.repaired", "kind", "drifted").increment(drifted);
		status("reconcile_finished_ms", Long.toString(System.currentTimeMillis()), "reconcile_checked",
				Long.toString(checked), "reconcile_missing", Long.toString(missing), "reconcile_extra",
				Long.toString(extra), "reconcile_drifted", Long.toString(drifted), "reconcile_took_ms",
				Long.toString(System.currentTimeMillis() - started));
		if (missing + extra + drifted > 0) {
			log.warn("search reconciliation repaired {} missing, {} extra, {} drifted documents", missing, extra,
					drifted);
		}
		return result;
	}

	private void status(String... pairs) {
		Map<String, String> fields = new HashMap<>();
		for (int i = 0; i + 1 < pairs.length; i += 2) {
			fields.put(pairs[i], pairs[i + 1]);
		}
		this.redis.opsForHash().putAll(this.statusKey, fields);
	}

	void shutdown() {
		this.worker.shutdownNow();
	}

}
