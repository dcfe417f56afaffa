package dev.feedplatform.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Gifts in one live room of {@value #VIEWERS} viewers (issue 17): {@value #CLIENTS}
 * clients send gifts back to back for {@link #RUN} (each debited, broadcast to every
 * viewer by its frame, put on the leaderboard and credited to the anchor) — the
 * throughput — then gifts arrive at fixed rates (open loop: half the ceiling, the goal's
 * rate, and half the closed loop's rate) — the latency without coordinated omission. The
 * viewers run in a JVM of their own ({@link ViewerLoad}) and time each {@code gift} frame
 * from its debit (the frame's {@code ts}) to its receipt. Each phase also reports where
 * the machine's CPU went, per process ({@link ProcessCpu}). Same-run baselines: a trivial
 * authenticated GET ({@code /api/users/me}: token check and one Redis read) from the same
 * clients — the HTTP stack's ceiling — and bare guarded
 * {@code UPDATE wallets ... WHERE balance >= 1} statements from as many threads. After
 * the run the books are checked: every ledger transaction sums to zero and every wallet
 * equals its legs.
 */
final class GiftBench {

	static final int VIEWERS = Integer.getInteger("feed.bench.gifts.viewers", 1_000);

	static final int CLIENTS = HttpLoad.CLIENTS;

	static final int SENDERS = 50;

	static final Duration RUN = Duration.ofSeconds(10);

	static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("feed.bench.gifts.warm-up-seconds", 15));

	private final Bench bench;

	private final HttpLoad http;

	GiftBench(Bench bench) {
		this.bench = bench;
		this.http = new HttpLoad("gifts", bench.http().port());
	}

	void run() throws Exception {
		Fixture fixture = this.bench.fixture();
		long[] viewers = fixture.users("gift-viewer", VIEWERS);
		long[] senders = fixture.users("gift-sender", SENDERS);
		long anchor = fixture.users("gift-anchor", 1)[0];
		String anchorToken = fixture.token(anchor);
		String room = this.bench.http()
			.postJson("/api/rooms", anchorToken, "{\"title\":\"gifts\"}", "\"id\":\"(\\d+)\"");
		String[] senderTokens = new String[SENDERS];
		for (int i = 0; i < SENDERS; i++) {
			senderTokens[i] = fixture.token(senders[i]);
			// The demo payment provider pays at once.
			this.bench.http()
				.post("/api/wallet/recharges", senderTokens[i],
						"{\"amount\":1000000,\"idempotency_key\":\"bench-" + i + "\"}");
		}
		Report report = this.bench.report();

		this.http.closedLoop(Duration.ofSeconds(5), (n, token) -> this.http.get("/api/users/me", token), senderTokens); // warm-up
		double ceiling = this.http
			.closedLoop(Duration.ofSeconds(5), (n, token) -> this.http.get("/api/users/me", token), senderTokens)
			.perSecond();
		report.add("gifts", "trivial authenticated GET (token + one Redis read), " + CLIENTS + " clients",
				Report.num(ceiling, "/s"), "", "", "");
		double updates = guardedUpdates(fixture, Duration.ofSeconds(5));
		report.add("gifts", "bare guarded UPDATE wallets ... WHERE balance >= 1, " + CLIENTS + " threads",
				Report.num(updates, "/s"), "", "", "");

		Path plan = Files.createTempFile("gift-viewers", ".txt");
		StringBuilder lines = new StringBuilder();
		for (long viewer : viewers) {
			lines.append(fixture.token(viewer)).append(' ').append(room).append('\n');
		}
		Files.writeString(plan, lines);
		int gateway = this.bench.context().getEnvironment().getRequiredProperty("local.gateway.port", Integer.class);
		Process load = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xms256m",
				"-Xmx768m", "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"),
				ViewerLoad.class.getName(), Integer.toString(gateway), plan.toString())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		try {
			BufferedReader out = new BufferedReader(new InputStreamReader(load.getInputStream()));
			Writer in = new OutputStreamWriter(load.getOutputStream());
			String ready = out.readLine();
			if (ready == null || !ready.startsWith("READY")) {
				throw new IllegalStateException("viewer load generator failed: " + ready);
			}
			AtomicLong keys = new AtomicLong();
			HttpLoad.Request gift = (n, token) -> this.http.post("/api/rooms/" + room + "/gifts", token,
					"{\"gift_id\":1,\"count\":1,\"idempotency_key\":\"b" + keys.incrementAndGet() + "\"}");
			this.http.closedLoop(WARM_UP, gift, senderTokens);
			awaitEffects(room);

			// 0. No gifts: what the platform costs with the room's viewers connected and
			// nothing sent.
			Measured idle = measure(room, out, in, "idle", () -> {
				Thread.sleep(RUN.toMillis());
				return new HttpLoad.Rate(0, "");
			});
			report.add("gifts", "no gifts, " + VIEWERS + " viewers connected: where the CPU went", idle.cpu(), "", "",
					"");
			// 1. As many gifts as 32 clients back to back get through: the throughput
			// figure.
			Measured most = measure(room, out, in, "the closed loop",
					() -> this.http.closedLoop(RUN, gift, senderTokens));
			report.add("gifts",
					"gifts/s debited (201), one room of " + VIEWERS + " viewers, " + CLIENTS
							+ " clients back to back, vs the trivial GET",
					Report.num(most.perSecond(), "/s"), Report.num(ceiling, "/s GET"),
					Report.ratio(most.perSecond() / ceiling), "≥ 0.5×");
			report.add("gifts", "gifts/s vs bare guarded UPDATEs", Report.num(most.perSecond(), "/s"),
					Report.num(updates, "/s UPDATE"), Report.ratio(most.perSecond() / updates), "");
			report.add("gifts", "  gift frames received / expected (gifts × viewers)", most.frames(),
					Long.toString(most.gifts() * VIEWERS), "", "all");
			report.add("gifts", "  debit → gift frame shown p50 / p99, saturated (queueing in every part)",
					most.latency(), "", "", "");
			report.add("gifts", "  where the CPU went (CPU-seconds per second, 2 cores)", most.cpu(), "", "", "");
			// 2. Open loop at fixed rates: the goal's rate, and half of what the closed
			// loop reached.
			for (double rate : new double[] { ceiling * 0.5, most.perSecond() * 0.5 }) {
				Measured open = measure(room, out, in, "an open loop at " + Report.num(rate, "/s"),
						() -> this.http.openLoop(RUN, rate, gift, senderTokens));
				String at = Report.num(rate, "/s");
				report.add("gifts", "open loop at " + at + ": gifts/s debited", Report.num(open.perSecond(), "/s"),
						at + " offered", "", "");
				report.add("gifts", "  open loop at " + at + ": gift frames received / expected", open.frames(),
						Long.toString(open.gifts() * VIEWERS), "", "all");
				report.add("gifts", "  open loop at " + at + ": debit → gift frame shown p50 / p99", open.latency(), "",
						"", "p99 ≤ 200 ms");
				report.add("gifts", "  open loop at " + at + ": POST answered p50 / p99", open.answered(), "", "", "");
				report.add("gifts", "  open loop at " + at + ": where the CPU went", open.cpu(), "", "", "");
			}
			report.add("gifts", "ledger: unbalanced transactions / wallets disagreeing with their legs", books(fixture),
					"", "", "0 / 0");
			in.write("EXIT\n");
			in.flush();
		}
		finally {
			load.destroyForcibly();
			load.waitFor();
			Files.deleteIfExists(plan);
		}
	}

	/**
	 * One measured phase: gifts/s debited, gifts stored, frames received, latencies and
	 * CPU by process.
	 */
	record Measured(double perSecond, long gifts, String frames, String latency, String answered, String cpu) {
	}

	/**
	 * A phase's load: answers gifts/s debited and, where it knows them, the POSTs'
	 * latencies ("p50 ms / p99 ms").
	 */
	interface Load {

		HttpLoad.Rate run() throws Exception;

	}

	/**
	 * Runs {@code load} with the viewers counting, waits for every gift's effects, and
	 * collects the figures.
	 */
	private Measured measure(String room, BufferedReader out, Writer in, String label, Load load) throws Exception {
		// when to attach a profiler
		System.out.println("[bench] gifts: measuring " + label);
		in.write("GO\n");
		in.flush();
		Map<String, Double> cpuBefore = ProcessCpu.snapshot();
		long sentBefore = giftsIn(room);
		long start = System.nanoTime();
		HttpLoad.Rate rate = load.run();
		double seconds = (System.nanoTime() - start) / 1e9;
		Map<String, Double> cpuAfter = ProcessCpu.snapshot();
		awaitEffects(room);
		Thread.sleep(1_000);
		long sent = giftsIn(room) - sentBefore;
		in.write("STOP\n");
		in.flush();
		String result = out.readLine();
		if (result == null || !result.startsWith("RESULT")) {
			throw new IllegalStateException("viewer load generator gave no result: " + result);
		}
		String[] r = result.split(" ");
		return new Measured(rate.perSecond(), sent, r[1],
				r[3] + " ms / " + r[4] + " ms" + (Integer.parseInt(r[5]) > 0 ? " (" + r[5] + " viewers dropped)" : ""),
				rate.answered(), ProcessCpu.between(cpuBefore, cpuAfter, seconds));
	}

	/**
	 * Guarded single-row debits on wallets of users made for the purpose, autocommit,
	 * from as many threads.
	 */
	private double guardedUpdates(Fixture fixture, Duration duration) throws InterruptedException {
		long[] owners = fixture.users("gift-baseline", SENDERS);
		JdbcTemplate jdbc = this.bench.bean(JdbcTemplate.class);
		for (long owner : owners) {
			jdbc.update("INSERT INTO wallets (user_id, balance) VALUES (?, 100000000)", owner);
		}
		LongAdder done = new LongAdder();
		AtomicBoolean running = new AtomicBoolean(true);
		List<Thread> threads = new ArrayList<>();
		long start = System.nanoTime();
		for (int c = 0; c < CLIENTS; c++) {
			long owner = owners[c % owners.length];
			threads.add(Thread.ofVirtual().start(() -> {
				while (running.get()) {
					done.add(jdbc.update("UPDATE wallets SET balance = balance - 1 WHERE user_id = ? AND balance >= 1",
							owner));
				}
			}));
		}
		Thread.sleep(duration.toMillis());
		running.set(false);
		for (Thread thread : threads) {
			thread.join();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		for (long owner : owners) {
			jdbc.update("DELETE FROM wallets WHERE user_id = ?", owner);
		}
		return done.sum() / seconds;
	}

	private long giftsIn(String room) {
		return this.bench.bean(JdbcTemplate.class)
			.queryForObject("SELECT COUNT(*) FROM gifts WHERE room_id = ?", Long.class, Long.parseLong(room));
	}

	/**
	 * Waits until every gift of the room had its effects (broadcast, board, the anchor's
	 * credit).
	 */
	private void awaitEffects(String room) {
		JdbcTemplate jdbc = this.bench.bean(JdbcTemplate.class);
		Bench.await(120_000, () -> jdbc.queryForObject("SELECT COUNT(*) FROM gifts WHERE room_id = ? AND state = 0",
				Long.class, Long.parseLong(room)) == 0);
	}

	private String books(Fixture fixture) {
		JdbcTemplate jdbc = this.bench.bean(JdbcTemplate.class);
		long unbalanced = jdbc.queryForObject(
				"SELECT COUNT(*) FROM (SELECT txn_id, kind FROM ledger_entries GROUP BY txn_id, kind HAVING SUM(amount) <> 0) t",
				Long.class);
		long disagreeing = jdbc.queryForObject(
				"""
						SELECT COUNT(*) FROM wallets w WHERE w.balance <> (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries e
						  WHERE e.account_owner = w.user_id AND e.account = 'COINS')
						OR w.earnings <> (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries e WHERE e.account_owner = w.user_id AND e.account = 'EARNINGS')""",
				Long.class);
		return unbalanced + " / " + disagreeing;
	}

}
