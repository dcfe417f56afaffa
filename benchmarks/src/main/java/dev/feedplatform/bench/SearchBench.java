package dev.feedplatform.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.json.JsonData;

import dev.feedplatform.runtime.id.LeasedIdGenerator;
import dev.feedplatform.searchsync.node.PostDocument;
import dev.feedplatform.searchsync.node.PostIndex;
import dev.feedplatform.searchsync.sync.BinlogSync;
import dev.feedplatform.searchsync.sync.LagProbe;
import dev.feedplatform.searchsync.sync.PostSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The search sync: rows/s it syncs (catching up a backlog of inserts) against raw bulk
 * indexing of the same documents into the same node in the same run; commit → searchable
 * lag under a steady 500 writes/s; and 100,000 mixed writes streamed while the sync
 * leader's JVM and then the Canal server are SIGKILLed, counting rows lost (visible in
 * MariaDB, absent or different in the index) and ghosts (in the index, gone from
 * MariaDB).
 */
final class SearchBench {

	private static final int BACKLOG = 20_000;

	private static final String[] WORDS = { "sunset", "timelapse", "cat", "recipe", "travel", "diary", "guitar",
			"cover", "北京", "夜景", "美食", "旅行", "猫咪", "教程", "音乐", "日常" };

	private final Bench bench;

	private final JdbcTemplate jdbc;

	private final PostIndex index;

	private final PostSource source;

	private final BinlogSync sync;

	private final LeasedIdGenerator ids;

	private final long author;

	SearchBench(Bench bench) {
		this.bench = bench;
		this.jdbc = bench.bean(JdbcTemplate.class);
		this.index = bench.bean(PostIndex.class);
		this.source = bench.bean(PostSource.class);
		this.sync = bench.bean(BinlogSync.class);
		this.ids = bench.bean(LeasedIdGenerator.class);
		this.author = this.ids.next();
	}

	void run() throws Exception {
		if (!Bench.await(60_000,
				() -> this.sync.isLeader() && !this.index.indicesOf(this.index.readAlias()).isEmpty())) {
			throw new IllegalStateException("this instance did not become the search sync leader");
		}
		try {
			caughtUp();
			throughput();
			caughtUp();
			lag();
			caughtUp();
			crashes();
		}
		finally {
			this.jdbc.update("DELETE FROM posts WHERE author_id = ?", this.author);
		}
	}

	/**
	 * Waits until the sync has no backlog (the newest heartbeat searchable is fresh), so
	 * phases don't overlap.
	 */
	private void caughtUp() {
		LagProbe probe = this.bench.bean(LagProbe.class);
		if (!Bench.await(300_000, () -> probe.ageSeconds() < 1.5)) {
			throw new IllegalStateException("the sync did not catch up within 300 s");
		}
	}

	private void throughput() throws Exception {
		// Baseline: the same documents bulk-indexed straight into a scratch index of the
		// same node.
		String scratch = this.index.createIndex();
		long[] rawIds = new long[BACKLOG];
		for (int i = 0; i < BACKLOG; i++) {
			rawIds[i] = this.ids.next();
		}
		long start = System.nanoTime();
		for (int from = 0; from < BACKLOG; from += 1000) {
			List<BulkOperation> ops = new ArrayList<>(1000);
			for (int i = from; i < Math.min(BACKLOG, from + 1000); i++) {
				PostDocument doc = PostDocument.of(rawIds[i], this.author, "VIDEO", title(i), null, null, null,
						System.currentTimeMillis(), 0, 0, 0, 0, 0);
				ops.add(BulkOperation.of(b -> b.index(x -> x.index(scratch)
					.id(doc.key())
					.version(1L)
					.versionType(VersionType.ExternalGte)
					.document(doc))));
			}
			this.index.write(ops);
		}
		this.index.refresh(scratch);
		double rawPerSecond = BACKLOG / ((System.nanoTime() - start) / 1e9);
		this.index.drop(scratch);

		// The sync: a backlog of committed inserts waiting in the binlog, then timed
		// until searchable.
		this.sync.stop();
		long[] rows = new long[BACKLOG];
		for (int i = 0; i < BACKLOG; i++) {
			rows[i] = this.ids.next();
		}
		for (int from = 0; from < BACKLOG; from += 1000) {
			List<Object[]> batch = new ArrayList<>();
			for (int i = from; i < Math.min(BACKLOG, from + 1000); i++) {
				batch.add(new Object[] { rows[i], this.author, title(i) });
			}
			this.jdbc.batchUpdate(
					"INSERT INTO posts (id, author_id, type, title, media) VALUES (?, ?, 'VIDEO', ?, 'https://cdn.example/v.mp4')",
					batch);
		}
		start = System.nanoTime();
		this.sync.start();
		if (!Bench.await(300_000, () -> countIndexed(rows[0] - 1, rows[BACKLOG - 1]) >= BACKLOG)) {
			throw new IllegalStateException("the backlog was not synced within 300 s");
		}
		double syncedPerSecond = BACKLOG / ((System.nanoTime() - start) / 1e9);
		this.bench.report()
			.add("search",
					"rows/s synced, 20,000-insert backlog (binlog → Canal → MariaDB read-back → bulk → searchable)",
					Report.num(syncedPerSecond, "/s"), Report.num(rawPerSecond, "/s raw bulk"),
					Report.ratio(syncedPerSecond / rawPerSecond), "");
	}

	private void lag() throws Exception {
		Map<Long, Long> committedAt = new ConcurrentHashMap<>();
		Set<Long> pending = ConcurrentHashMap.newKeySet();
		Latencies lags = new Latencies();
		AtomicBoolean writing = new AtomicBoolean(true);
		int seconds = 30;
		int perSecond = 500;
		List<Thread> writers = new ArrayList<>();
		long begin = System.nanoTime();
		for (int w = 0; w < 2; w++) {
			int writer = w;
			writers.add(Thread.ofPlatform().start(() -> {
				long n = 0;
				while (writing.get()) {
					// paced: no burst after a slow commit
					long due = begin + (long) (n * 1e9 / (perSecond / 2.0));
					long wait = due - System.nanoTime();
					if (wait > 0) {
						Bench.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
					}
					long id = this.ids.next();
					this.jdbc.update(
							"INSERT INTO posts (id, author_id, type, title, media) VALUES (?, ?, 'IMAGE', ?, 'https://cdn.example/a.jpg')",
							id, this.author, title((int) n * 2 + writer));
					committedAt.put(id, System.nanoTime());
					pending.add(id);
					n++;
				}
			}));
		}
		String live = this.index.indicesOf(this.index.readAlias()).iterator().next();
		long deadline = System.nanoTime() + seconds * 1_000_000_000L;
		while (System.nanoTime() < deadline || !pending.isEmpty()) {
			if (System.nanoTime() > deadline) {
				writing.set(false);
			}
			if (System.nanoTime() > deadline + 60_000_000_000L) {
				throw new IllegalStateException(pending.size() + " rows never became searchable");
			}
			if (!pending.isEmpty()) {
				long low = Collections.min(pending) - 1;
				long high = Collections.max(pending);
				// A search (not a get): what is visible to searches, i.e. after the
				// refresh.
				Set<Long> found = this.index.fingerprints(live, low, high).keySet();
				long now = System.nanoTime();
				for (Long id : found) {
					if (pending.remove(id)) {
						lags.record(now - committedAt.get(id));
					}
				}
			}
			Bench.sleep(20);
		}
		for (Thread t : writers) {
			t.join();
		}
		double achieved = committedAt.size() / ((System.nanoTime() - begin) / 1e9 - 0.0);
		Report report = this.bench.report();
		report.add("search", "commit → searchable p50 / p99, 500 writes/s for 30 s (" + committedAt.size() + " rows)",
				Report.num(lags.percentileMs(50), " ms") + " / " + Report.num(lags.percentileMs(99), " ms"), "", "",
				"p99 ≤ 2,000 ms");
		System.out.printf("[search] lag run wrote %.0f rows/s%n", achieved);
	}

	private void crashes() throws Exception {
		int total = 100_000;
		this.sync.stop();
		Path log = Files.createTempFile("search-bench-worker", ".log");
		Process worker = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx768m",
				"-cp", System.getProperty("java.class.path"), SyncWorkerMain.class.getName(), "--server.port=0",
				"--feed.gateway.port=-1", "--spring.main.banner-mode=off", "--feed.fanout.workers-enabled=false",
				"--logging.level.dev.feedplatform.searchsync=INFO",
				"--feed.auth.token-secret="
						+ this.bench.context().getEnvironment().getRequiredProperty("feed.auth.token-secret"),
				// The benchmark's own destination, index and broker namespace (see
				// Benchmarks), not a running platform's.
				"--feed.search.destination="
						+ this.bench.context().getEnvironment().getRequiredProperty("feed.search.destination"),
				"--feed.search.index=" + this.bench.context().getEnvironment().getRequiredProperty("feed.search.index"),
				"--feed.rocketmq.namespace="
						+ this.bench.context().getEnvironment().getRequiredProperty("feed.rocketmq.namespace")))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.directory(new File("."))
			.start();
		try {
			if (!Bench.await(180_000, () -> read(log).contains("binlog sync connected"))) {
				throw new IllegalStateException("the worker instance did not take the sync over; see " + log);
			}
			this.sync.start();
			List<Long> created = new ArrayList<>();
			ThreadLocalRandom random = ThreadLocalRandom.current();
			int done = 0;
			boolean workerKilled = false;
			boolean canalKilled = false;
			long start = System.nanoTime();
			while (done < total) {
				List<Object[]> inserts = new ArrayList<>();
				for (int i = 0; i < 70; i++) {
					long id = this.ids.next();
					created.add(id);
					inserts.add(new Object[] { id, this.author, title(done + i) });
				}
				this.jdbc.batchUpdate(
						"INSERT INTO posts (id, author_id, type, title, media) VALUES (?, ?, 'VIDEO', ?, 'https://cdn.example/v.mp4')",
						inserts);
				List<Object[]> updates = new ArrayList<>();
				for (int i = 0; i < 20; i++) {
					updates.add(new Object[] { created.get(random.nextInt(created.size())) });
				}
				this.jdbc.batchUpdate("UPDATE posts SET title = CONCAT(LEFT(title, 150), ' edited') WHERE id = ?",
						updates);
				List<Object[]> deletes = new ArrayList<>();
				for (int i = 0; i < 10; i++) {
					deletes.add(new Object[] { created.get(random.nextInt(created.size())) });
				}
				this.jdbc.batchUpdate("DELETE FROM posts WHERE id = ?", deletes);
				done += 100;
				if (!workerKilled && done >= total / 3) {
					worker.destroyForcibly(); // SIGKILL of the sync leader mid-stream
					worker.waitFor();
					workerKilled = true;
				}
				if (!canalKilled && done >= 2 * total / 3) {
					// SIGKILL of the Canal server mid-stream
					platform("stop-one", "canal");
					Bench.sleep(1_000);
					platform("start-one", "canal");
					canalKilled = true;
				}
			}
			double writeSeconds = (System.nanoTime() - start) / 1e9;
			long low = Collections.min(created) - 1;
			long high = Collections.max(created);
			long[] lostAndGhosts = { -1, -1 };
			boolean converged = Bench.await(300_000, () -> {
				long[] diff = difference(created, low, high);
				lostAndGhosts[0] = diff[0];
				lostAndGhosts[1] = diff[1];
				if (diff[0] + diff[1] > 0) {
					Bench.sleep(1_000);
				}
				return diff[0] + diff[1] == 0;
			});
			double convergeSeconds = (System.nanoTime() - start) / 1e9 - writeSeconds;
			this.bench.report()
				.add("search",
						"100,000 mixed writes (70% insert, 20% update, 10% delete) with SIGKILL of the sync leader and of Canal: rows lost / ghost documents",
						Report.num(lostAndGhosts[0], "") + " / " + Report.num(lostAndGhosts[1], ""), "", "", "0 / 0");
			this.bench.report()
				.add("search", "  … written in / index equal to MariaDB after the last write",
						Report.num(writeSeconds, " s") + " / "
								+ (converged ? Report.num(convergeSeconds, " s") : "not within 300 s"),
						"", "", "");
		}
		finally {
			worker.destroyForcibly();
			platform("start-one", "canal");
		}
	}

	/**
	 * {rows visible in MariaDB whose document is missing or different, documents whose
	 * row is gone}.
	 */
	private long[] difference(List<Long> created, long low, long high) {
		Map<Long, PostDocument> truth = new java.util.HashMap<>();
		for (int from = 0; from < created.size(); from += 5000) {
			truth.putAll(this.source.visible(created.subList(from, Math.min(created.size(), from + 5000))));
		}
		String live = this.index.indicesOf(this.index.readAlias()).iterator().next();
		this.index.refresh(live);
		Map<Long, String> indexed = this.index.fingerprints(live, low, high);
		long lost = truth.values().stream().filter(d -> !d.fp().equals(indexed.get(d.id()))).count();
		long ghosts = indexed.keySet().stream().filter(id -> !truth.containsKey(id)).count();
		return new long[] { lost, ghosts };
	}

	private long countIndexed(long low, long high) {
		try {
			String live = this.index.indicesOf(this.index.readAlias()).iterator().next();
			return this.index.client()
				.count(c -> c.index(live)
					.query(q -> q
						.range(r -> r.untyped(u -> u.field("id").gt(JsonData.of(low)).lte(JsonData.of(high))))))
				.count();
		}
		catch (IOException ex) {
			return -1;
		}
	}

	private static String title(int i) {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)] + " "
				+ WORDS[i % WORDS.length] + " #" + i;
	}

	private static String read(Path log) {
		try {
			return Files.readString(log);
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static void platform(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(
				List.of("bash", Path.of(System.getenv().getOrDefault("FEED_ROOT", "."), "bin", "platform").toString()));
		command.addAll(List.of(args));
		Process p = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		if (p.waitFor() != 0) {
			throw new IllegalStateException("bin/platform " + String.join(" ", args) + " failed");
		}
	}

}
