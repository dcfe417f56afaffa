package dev.feedplatform.searchsync.sync;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.alibaba.otter.canal.client.CanalConnector;
import com.alibaba.otter.canal.client.CanalConnectors;
import com.alibaba.otter.canal.protocol.CanalEntry.Entry;
import com.alibaba.otter.canal.protocol.Message;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.runtime.lock.Leadership;
import dev.feedplatform.searchsync.SearchSettings;
import dev.feedplatform.searchsync.node.DocChange;
import dev.feedplatform.searchsync.node.PostIndex;
import dev.feedplatform.searchsync.node.PostIndex.BulkOutcome;
import org.springframework.context.SmartLifecycle;

/**
 * The binlog → search node sync, run by whichever instance holds the {@link Leadership}
 * of its destination (a Redisson lock).
 *
 * <p>
 * One loop: fetch a batch from Canal without acknowledging it, collect the posts it
 * touches (rows of {@code posts}, {@code post_counters}, {@code post_blacklist}) with the
 * newest binlog version per post, read those posts' documents back from MariaDB
 * ({@link PostSource}), write them to every target index in one versioned bulk request,
 * and only then acknowledge the batch. A crash anywhere before the acknowledgement (this
 * JVM, the Canal server, the search node) means the batch is fetched again and written
 * again, which the versions make harmless; nothing is acknowledged that the search node
 * has not accepted, so nothing is lost (canal #2465's silent gaps). Deletes, retractions
 * and blacklisting all turn into versioned deletes (#2398's reordered updates and missed
 * deletes).
 */
public class BinlogSync implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(BinlogSync.class);

	/**
	 * How often a standby asks for the lease (and the leader checks it still holds it).
	 */
	static final Duration LEADERSHIP_POLL = Duration.ofSeconds(1);

	/** The tables whose changes change a document, plus the lag heartbeat. Any schema. */
	static final String FILTER = ".*\\.posts,.*\\.post_counters,.*\\.post_blacklist,.*\\.search_heartbeat";

	private final SearchSettings settings;

	private final Leadership lease;

	private final PostSource source;

	private final PostIndex index;

	private final IndexMaintenance maintenance;

	private final Counter rows;

	private final Counter applied;

	private final Counter stale;

	private final Timer batchTimer;

	private final AtomicLong targetsGeneration = new AtomicLong();

	private volatile boolean running;

	private volatile boolean leader;

	private volatile boolean targetsStale = true;

	private volatile Set<String> targets = Set.of();

	private volatile Thread loop;

	private ScheduledExecutorService timers;

	private CanalConnector connector;

	public BinlogSync(SearchSettings settings, Leadership lease, PostSource source, PostIndex index,
			IndexMaintenance maintenance, MeterRegistry meters) {
		this.settings = settings;
		this.lease = lease;
		this.source = source;
		this.index = index;
		this.maintenance = maintenance;
		this.rows = meters.counter("feed.search.sync.rows");
		this.applied = meters.counter("feed.search.sync.writes", "outcome", "applied");
		this.stale = meters.counter("feed.search.sync.writes", "outcome", "stale");
		this.batchTimer = Timer.builder("feed.search.sync.batch").publishPercentileHistogram().register(meters);
	}

	@Override
	public void start() {
		this.running = true;
		this.timers = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("search-sync-timers").daemon().factory());
		this.timers.scheduleWithFixedDelay(this::renew, 0, LEADERSHIP_POLL.toMillis(), TimeUnit.MILLISECONDS);
		this.timers.scheduleWithFixedDelay(this::beat, 0, this.settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
		this.loop = Thread.ofPlatform().name("search-sync").daemon().start(this::run);
	}

	@Override
	public void stop() {
		this.running = false;
		Thread thread = this.loop;
		if (thread != null) {
			try {
				thread.join(10_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.timers.shutdownNow();
		try {
			// A renewal in flight may still take the lock; release only after it
			// finished.
			this.timers.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.leader = false;
		// Whatever the last renewal concluded: the watchdog would keep a held lock for as
		// long as
		// this JVM lives, and no other instance could take over (a no-op when not held).
		this.lease.release();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	public boolean isLeader() {
		return this.leader;
	}

	/**
	 * Makes the loop re-read the target indices, and waits until it has (a rebuild's
	 * handshake).
	 */
	public void refreshTargetsAndWait(long timeoutMs) throws InterruptedException {
		long seen = this.targetsGeneration.get();
		this.targetsStale = true;
		long deadline = System.currentTimeMillis() + timeoutMs;
		while (this.targetsGeneration.get() == seen && System.currentTimeMillis() < deadline) {
			Thread.sleep(20);
		}
	}

	void targetsChanged() {
		this.targetsStale = true;
	}

	private void renew() {
		try {
			boolean holds = this.lease.hold();
			if (holds && !this.leader) {
				log.info("this instance now runs the binlog sync");
			}
			else if (!holds && this.leader) {
				log.warn("lost the binlog sync lease");
			}
			this.leader = holds && this.running;
		}
		catch (RuntimeException ex) {
			// Without Redis we can't tell whether the lease is still ours: step down.
			this.leader = false;
			log.warn("could not renew the binlog sync lease: {}", ex.toString());
		}
	}

	private void beat() {
		if (this.leader) {
			try {
				this.source.beat(System.currentTimeMillis());
			}
			catch (RuntimeException ex) {
				log.debug("heartbeat write failed: {}", ex.toString());
			}
		}
	}

	private void run() {
		long backoffMs = 200;
		while (this.running) {
			try {
				if (!this.leader) {
					disconnect();
					Thread.sleep(100);
					continue;
				}
				if (this.connector == null) {
					connect();
				}
				this.maintenance.tick(this);
				if (this.targetsStale || this.targets.isEmpty()) {
					refreshTargets();
				}
				syncOneBatch();
				backoffMs = 200;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			catch (RuntimeException ex) {
				log.warn("binlog sync stalled, retrying in {} ms: {}", backoffMs, ex.toString());
				disconnect();
				sleep(backoffMs);
				backoffMs = Math.min(backoffMs * 2, 5_000);
			}
		}
		disconnect();
	}

	private void syncOneBatch() {
		Message message = this.connector.getWithoutAck(this.settings.batchSize(), 200L, TimeUnit.MILLISECONDS);
		long batchId = message.getId();
		if (batchId == -1 || message.getEntries().isEmpty()) {
			if (batchId != -1) {
				this.connector.ack(batchId);
			}
			return;
		}
		long started = System.nanoTime();
		BinlogBatch batch = new BinlogBatch();
		for (Entry entry : message.getEntries()) {
			this.rows.increment(batch.add(entry));
		}
		List<DocChange> changes = this.source.changes(batch.versions());
		List<BulkOperation> operations = new ArrayList<>(changes.size() * this.targets.size() + 1);
		for (String target : this.targets) {
			for (DocChange change : changes) {
				operations.add(PostIndex.operation(target, change));
			}
		}
		if (batch.heartbeat() != null) {
			operations.add(this.index.heartbeat(batch.heartbeat().version(), batch.heartbeat().beatMs()));
		}
		BulkOutcome outcome = this.index.write(operations);
		// Acknowledged only now: the search node has accepted every write of the batch.
		this.connector.ack(batchId);
		this.applied.increment(outcome.applied());
		this.stale.increment(outcome.stale());
		this.batchTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
	}

	private void refreshTargets() {
		this.targetsStale = false;
		this.targets = this.index.writeTargets();
		this.targetsGeneration.incrementAndGet();
	}

	private void connect() {
		CanalConnector fresh = CanalConnectors.newSingleConnector(
				new InetSocketAddress(this.settings.canalHost(), this.settings.canalPort()),
				this.settings.destination(), "", "");
		fresh.connect();
		// Every batch may carry a heartbeat, and one write to a missing index fails the
		// batch:
		// (re)create it on every connection, not only when the posts index is first
		// built.
		this.index.ensureLagIndex();
		fresh.subscribe(FILTER);
		// Anything fetched but not acknowledged by a previous holder is handed out again.
		fresh.rollback();
		this.connector = fresh;
		this.targetsStale = true;
		log.info("binlog sync connected to Canal {}:{} ({})", this.settings.canalHost(), this.settings.canalPort(),
				this.settings.destination());
	}

	private void disconnect() {
		if (this.connector != null) {
			try {
				this.connector.disconnect();
			}
			catch (RuntimeException ex) {
				log.debug("disconnect: {}", ex.toString());
			}
			this.connector = null;
		}
	}

	private static void sleep(long ms) {
		try {
			Thread.sleep(ms);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
