package dev.feedplatform.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * IM throughput and latency: 1:1 messages stored and delivered per second with send →
 * receive p50/p99; group deliveries per second for groups of 100 and 500; a reconnect
 * storm of 5,000 devices. Devices run in a JVM of their own ({@link ImLoad}) against the
 * gateway port. Baseline in the same run: the raw durable write path, the same
 * {@code im_messages} rows inserted in batches from this JVM (one transaction, one fsync,
 * per batch of 64), with nothing else (no seq counter, no idempotency check, no routing,
 * no delivery).
 */
final class ImBench {

	/** 1:1 pairs: senders and recipients. */
	static final int PAIRS = 200;

	/**
	 * Offered 1:1 rates, each measured on its own: the goal's 3,000/s and the rates below
	 * it.
	 */
	static final String DIRECT_RATES = System.getProperty("feed.bench.im.rates", "1000,2000,3000");

	static final long SECONDS = 10;

	static final int STORM = Integer.getInteger("feed.bench.im.storm", 5000);

	/**
	 * Which shapes run: {@code -Dfeed.bench.im.shapes=direct,group,storm} (all by
	 * default).
	 */
	static final java.util.Set<String> SHAPES = java.util.Set
		.of(System.getProperty("feed.bench.im.shapes", "direct,group,storm").split(","));

	private final Bench bench;

	ImBench(Bench bench) {
		this.bench = bench;
	}

	void run() throws Exception {
		if (SHAPES.contains("direct")) {
			direct();
		}
		if (SHAPES.contains("group")) {
			for (int size : new int[] { 100, 500 }) {
				group(size, size == 100 ? 100 : 40);
			}
		}
		if (SHAPES.contains("storm")) {
			storm();
		}
	}

	private void direct() throws Exception {
		double raw = rawInserts(20_000);
		// 1:1
		long[] senders = this.bench.fixture().users("im-sender", PAIRS);
		long[] recipients = this.bench.fixture().users("im-recipient", PAIRS);
		List<String> plan = new ArrayList<>();
		for (int i = 0; i < PAIRS; i++) {
			plan.add(line("S", senders[i], "d", Long.toString(recipients[i])));
			plan.add(line("R", recipients[i], "d", conversation(senders[i], recipients[i])));
		}
		Report report = this.bench.report();
		for (Map<String, String> r : loads("send", plan, DIRECT_RATES, SECONDS)) {
			double seconds = Double.parseDouble(r.get("seconds")) + Double.parseDouble(r.get("drain"));
			double stored = Double.parseDouble(r.get("sent")) / seconds;
			double delivered = Double.parseDouble(r.get("received")) / seconds;
			String offered = r.get("rate");
			report.add("im",
					"1:1 messages/s stored and delivered, " + offered + "/s offered (" + PAIRS + " pairs, " + SECONDS
							+ " s + drain)",
					Report.num(Math.min(stored, delivered), "/s"), Report.num(raw, "/s raw batched inserts"),
					Report.ratio(Math.min(stored, delivered) / raw), "≥ 3,000/s");
			report.add("im", "1:1 send → receive p50 / p99, " + offered + "/s offered",
					Report.num(Double.parseDouble(r.get("p50")), "ms") + " / "
							+ Report.num(Double.parseDouble(r.get("p99")), "ms"),
					"", "", "p99 ≤ 150 ms");
			report.add("im", "1:1 sent / received / errors, " + offered + "/s offered",
					r.get("sent") + " / " + r.get("received") + " / " + r.get("errors"), "", "", "");
		}
		report.add("im", "messages per store transaction (mean)", Report.num(meanBatch(), ""), "", "", "");
	}

	private void group(int size, double rate) throws Exception {
		long[] members = this.bench.fixture().users("im-group" + size, size);
		StringBuilder ids = new StringBuilder();
		for (int i = 1; i < members.length; i++) {
			ids.append(i == 1 ? "" : ",").append('"').append(members[i]).append('"');
		}
		String group = this.bench.http()
			.postJson("/api/im/groups", this.bench.fixture().token(members[0]),
					"{\"name\":\"bench " + size + "\",\"members\":[" + ids + "]}", "\"id\":\"(\\d+)\"");
		List<String> plan = new ArrayList<>();
		for (int i = 0; i < members.length; i++) {
			plan.add(line(i < 5 ? "S" : "R", members[i], "g", i < 5 ? "g" + group : "g:" + group));
		}
		Map<String, String> r = load("send", plan, rate, SECONDS);
		double seconds = Double.parseDouble(r.get("seconds")) + Double.parseDouble(r.get("drain"));
		Report report = this.bench.report();
		report.add("im", "group of " + size + ": deliveries/s (" + (long) rate + " messages/s in)",
				Report.num(Double.parseDouble(r.get("received")) / seconds, "/s"),
				Report.num(rate * (size - 1), "/s offered"),
				Report.ratio(Double.parseDouble(r.get("received")) / seconds / (rate * (size - 1))), "");
		report.add("im", "group of " + size + ": send → receive p50 / p99",
				Report.num(Double.parseDouble(r.get("p50")), "ms") + " / "
						+ Report.num(Double.parseDouble(r.get("p99")), "ms"),
				"", "", "");
	}

	private void storm() throws Exception {
		long sender = this.bench.fixture().users("im-storm-sender", 1)[0];
		long[] devices = this.bench.fixture().users("im-storm", STORM);
		List<String> plan = new ArrayList<>();
		plan.add(line("S", sender, "s", "0"));
		for (long device : devices) {
			plan.add(line("R", device, "s", conversation(sender, device)));
		}
		AtomicBoolean sampling = new AtomicBoolean(true);
		AtomicLong peakMilli = new AtomicLong();
		Thread sampler = Thread.ofPlatform().daemon().start(() -> {
			long lastCpu = cpuNanos();
			long lastWall = System.nanoTime();
			while (sampling.get()) {
				Bench.sleep(500);
				long cpu = cpuNanos();
				long wall = System.nanoTime();
				peakMilli.accumulateAndGet((cpu - lastCpu) * 1000 / Math.max(1, wall - lastWall), Math::max);
				lastCpu = cpu;
				lastWall = wall;
			}
		});
		Map<String, String> r;
		try {
			r = load("storm", plan, 5_000, 0);
		}
		finally {
			sampling.set(false);
			sampler.join();
		}
		Report report = this.bench.report();
		report.add("im",
				"reconnect storm: " + STORM + " devices drop, reconnect over 5 s and sync: all caught up after",
				Report.num(Double.parseDouble(r.get("seconds")), "s"), "", "", "");
		report.add("im", "reconnect storm: devices caught up / platform JVM peak CPU (cores, 0.5 s samples)",
				r.get("caughtUp") + " of " + r.get("devices") + " / " + Report.num(peakMilli.get() / 1000.0, ""), "",
				"", "");
	}

	private String line(String role, long user, String device, String target) {
		return role + " " + this.bench.fixture().token(user) + " " + device + " " + target + " " + user;
	}

	private static String conversation(long a, long b) {
		return "d:" + Math.min(a, b) + ":" + Math.max(a, b);
	}

	private Map<String, String> load(String shape, List<String> plan, double rate, long seconds) throws Exception {
		return loads(shape, plan, Long.toString((long) rate), seconds).get(0);
	}

	/**
	 * Runs {@link ImLoad} with the plan (one RESULT line per rate) and answers each
	 * line's fields.
	 */
	private List<Map<String, String>> loads(String shape, List<String> plan, String rates, long seconds)
			throws Exception {
		Path file = Files.createTempFile("im-plan", ".txt");
		Files.write(file, plan);
		int port = this.bench.context().getEnvironment().getRequiredProperty("local.gateway.port", Integer.class);
		Process load = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xms512m", "-Xmx2g",
				"-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"), ImLoad.class.getName(),
				Integer.toString(port), shape, file.toString(), rates, Long.toString(seconds))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		List<Map<String, String>> results = new ArrayList<>();
		try (BufferedReader out = new BufferedReader(new InputStreamReader(load.getInputStream()))) {
			String line;
			while ((line = out.readLine()) != null) {
				if (line.startsWith("RESULT ")) {
					Map<String, String> fields = new HashMap<>();
					for (String kv : line.substring(7).split(" ")) {
						String[] p = kv.split("=", 2);
						fields.put(p[0], p[1]);
					}
					System.out.println("[bench] im " + shape + ": " + line);
					results.add(fields);
				}
			}
		}
		finally {
			load.destroyForcibly();
		}
		if (results.isEmpty()) {
			throw new IllegalStateException("the IM load generator printed no result");
		}
		return results;
	}

	/** The baseline: the same rows, inserted in batches of 64 per transaction. */
	private double rawInserts(int n) {
		JdbcTemplate jdbc = this.bench.bean(JdbcTemplate.class);
		TransactionTemplate tx = this.bench.bean(TransactionTemplate.class);
		long first = this.bench.fixture().nextId();
		String conversation = "d:1:" + first;
		long start = System.nanoTime();
		for (int from = 0; from < n; from += 64) {
			int at = from;
			tx.executeWithoutResult(s -> {
				List<Object[]> rows = new ArrayList<>();
				for (int i = at; i < Math.min(n, at + 64); i++) {
					rows.add(new Object[] { conversation, i + 1, first + i, first, "raw", i, "t" + System.nanoTime(),
							System.currentTimeMillis() });
				}
				jdbc.batchUpdate(
						"INSERT INTO im_messages (conversation, seq, msg_id, sender_id, device, client_seq, text, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
						rows);
			});
		}
		double perSecond = n / ((System.nanoTime() - start) / 1e9);
		jdbc.update("DELETE FROM im_messages WHERE conversation = ?", conversation);
		return perSecond;
	}

	private double meanBatch() {
		var summary = this.bench.bean(MeterRegistry.class).find("feed.im.store.batch").summary();
		return summary == null ? Double.NaN : summary.mean();
	}

	private static long cpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

}
