package dev.feedplatform.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.ImClient;
import dev.feedplatform.testsupport.Users;
import dev.feedplatform.testsupport.Users.TestUser;

/**
 * {@code bin/platform chaos [--short] [--only=redis,app] [--down=15]} (issue 14): against
 * the running platform ({@code bin/platform up}), a mixed workload through the public API
 * — posts, likes, views, comments, follows, barrage and 1:1 chat — while each process
 * (redis, mariadb, namesrv, broker, canal, search, app) is killed with SIGKILL, left
 * down, and restarted with the project's launcher. Then every acknowledged write is
 * checked ({@link Verifier}) and a table per process is printed: how long the restart
 * took, how long until health was UP again, how soon after that a new post reached a
 * follower's timeline and a like was counted ({@link Probe}), what clients saw from the
 * kill until then (statuses, no answer), writes lost, writes doubled. Exits 1 on any loss
 * or double, any 500, or a process whose health, fan-out or counts never came back.
 *
 * <p>
 * {@code --short} (what CI runs): fewer users, a lower rate, 5 s outages. The full run:
 * 20 users, ~14 requests/s, 15 s outages.
 */
public final class Chaos {

	static final List<String> PROCESSES = List.of("redis", "mariadb", "namesrv", "broker", "canal", "search", "app");

	/** One process's row. */
	record Row(String process, double downSeconds, double restartSeconds, double healthySeconds, Probe.Result probe) {

		/** Health, fan-out or counts never came back within the probe's wait. */
		boolean stuck() {
			return this.healthySeconds < 0 || this.probe.fanOutSeconds() < 0 || this.probe.countSeconds() < 0;
		}

	}

	private Chaos() {
	}

	public static void main(String[] args) throws Exception {
		boolean quick = List.of(args).contains("--short");
		List<String> processes = PROCESSES;
		int down = quick ? 5 : 15;
		for (String arg : args) {
			if (arg.startsWith("--only=")) {
				processes = List.of(arg.substring(7).split(","));
			}
			if (arg.startsWith("--down=")) {
				down = Integer.parseInt(arg.substring(7));
			}
		}
		int userCount = quick ? 8 : 20;
		int authorCount = quick ? 3 : 5;
		double rate = quick ? 6 : 14;
		int settle = quick ? 8 : 20;
		Path root = Path.of(System.getenv().getOrDefault("FEED_ROOT", ".")).toAbsolutePath().normalize();
		int httpPort = Integer.parseInt(System.getenv().getOrDefault("FEED_HTTP_PORT", "8080"));
		int gatewayPort = Integer.parseInt(System.getenv().getOrDefault("FEED_GATEWAY_PORT", "8090"));
		Api api = new Api(httpPort);
		Platform platform = new Platform(root, api);
		say("waiting for the platform on :%d to be UP (bin/platform up)", httpPort);
		if (platform.awaitUp(Duration.ofSeconds(180)) < 0) {
			say("the platform is not UP: %s", platform.health());
			System.exit(2);
		}
		String run = runLetters();
		Outcomes outcomes = new Outcomes();
		Ledger ledger = new Ledger();
		List<TestUser> users = new ArrayList<>();
		for (int i = 0; i < userCount; i++) {
			users.add(Users.create(api, "chaos" + run + i));
		}
		List<TestUser> authors = users.subList(0, authorCount);
		Workload workload = new Workload(api, outcomes, ledger, users, authors, run);
		for (TestUser user : users) {
			for (int k = 0; k < 2; k++) {
				workload.follow(user, authors.get(ThreadLocalRandom.current().nextInt(authors.size())));
			}
		}
		Probe probe = new Probe(api, Users.create(api, "chaos" + run + "p"), Users.create(api, "chaos" + run + "q"));
		// Every user reads their timeline now and after each restart, as people do: their
		// inboxes are
		// live, so the final check sees what fan-out pushed, not a timeline rebuilt at
		// read time.
		readTimelines(api, users);
		String room = api.post("/api/rooms", authors.get(0).token(), "{\"title\":\"chaos " + run + "\"}")
			.string("$.id");
		ChatLoad chat = new ChatLoad(gatewayPort, users.get(authorCount), users.get(authorCount + 1), ledger, outcomes);
		chat.start(Duration.ofMillis(quick ? 1000 : 500));
		BarrageLoad barrage = new BarrageLoad(gatewayPort, users.get(authorCount + 2), room);
		barrage.start();

		ExecutorService inFlight = Executors.newVirtualThreadPerTaskExecutor();
		ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
		ticks.scheduleAtFixedRate(() -> inFlight.execute(workload::any), 0, (long) (1_000_000 / rate),
				TimeUnit.MICROSECONDS);
		say("run %s: %d users, %d authors, ~%.0f requests/s, chat and barrage; outages of %d s", run, userCount,
				authorCount, rate, down);

		outcomes.phase("baseline");
		Thread.sleep(settle * 1000L);
		List<Row> rows = new ArrayList<>();
		StringBuilder diagnoses = new StringBuilder();
		for (String process : processes) {
			outcomes.phase(process);
			say("kill -9 %s", process);
			long killed = System.nanoTime();
			java.time.Instant killedAt = java.time.Instant.now();
			platform.kill(process);
			Thread.sleep(down * 1000L);
			long restart = System.nanoTime();
			platform.start(process);
			double restartSeconds = (System.nanoTime() - restart) / 1e9;
			double healthy = platform.awaitUp(Duration.ofSeconds(180));
			Probe.Result probed = probe.measure();
			say("%s restarted in %.1f s, health UP %.1f s later; a new post on a follower's timeline %.1f s after its 201, a like counted after %.1f s",
					process, restartSeconds, healthy, probed.fanOutSeconds(), probed.countSeconds());
			Row row = new Row(process, (restart - killed) / 1e9, restartSeconds, healthy, probed);
			rows.add(row);
			if (row.stuck()) {
				diagnoses.append("### ")
					.append(process)
					.append(" never came back\n")
					.append(Diagnosis.between(root, killedAt, java.time.Instant.now()));
			}
			readTimelines(api, users);
			Thread.sleep(settle * 1000L);
		}
		outcomes.phase("after");
		ticks.shutdownNow();
		chat.stop();
		barrage.stop();
		inFlight.shutdown();
		inFlight.awaitTermination(Workload.GIVE_UP.toSeconds() + 30, TimeUnit.SECONDS);

		say("checking %d posts, %d comments, %d chat messages and every timeline (up to 4 minutes for the platform to converge)",
				ledger.posts.size(), ledger.comments.size(), ledger.chats.size());
		Verifier verifier = new Verifier(api, ledger, users, authors, run, chat);
		List<Verifier.Finding> findings = List.of();
		long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
		while (true) {
			try {
				findings = verifier.check();
			}
			catch (RuntimeException ex) {
				findings = List.of(new Verifier.Finding("check", "after", "could not read: " + ex, false));
			}
			if (findings.isEmpty() || System.nanoTime() > deadline) {
				break;
			}
			say("not converged yet (%d findings, e.g. %s); checking again in 10 s", findings.size(), findings.get(0));
			Thread.sleep(10_000);
		}
		chat.close();
		String report = report(rows, outcomes, findings, ledger, run, quick)
				+ (diagnoses.isEmpty() ? "" : "\n" + diagnoses);
		System.out.println(report);
		Files.createDirectories(root.resolve(".run"));
		Files.writeString(root.resolve(".run/chaos-report.md"), report);
		long errors500 = outcomes.count("baseline", "500") + outcomes.count("after", "500")
				+ rows.stream().mapToLong(r -> outcomes.count(r.process(), "500")).sum();
		boolean stuck = rows.stream().anyMatch(Row::stuck);
		if (errors500 > 0 || stuck) {
			say("FAILED: %d answers were 500%s", errors500,
					stuck ? "; a process never came back (health, fan-out or counts)" : "");
		}
		System.exit(findings.isEmpty() && errors500 == 0 && !stuck ? 0 : 1);
	}

	/**
	 * Each user reads the first page of their home timeline (errors ignored: the platform
	 * may be recovering).
	 */
	private static void readTimelines(Api api, List<TestUser> users) {
		for (TestUser user : users) {
			try {
				api.get("/api/timeline", user.token());
			}
			catch (RuntimeException recovering) {
				// the check at the end is what counts
			}
		}
	}

	private static String report(List<Row> rows, Outcomes outcomes, List<Verifier.Finding> findings, Ledger ledger,
			String run, boolean quick) {
		StringBuilder out = new StringBuilder();
		out.append("chaos run ")
			.append(run)
			.append(quick ? " (short)" : "")
			.append(": ")
			.append(ledger.posts.size())
			.append(" posts, ")
			.append(ledger.likes.values().stream().mapToInt(java.util.Set::size).sum())
			.append(" likes, ")
			.append(ledger.views.values().stream().mapToInt(java.util.concurrent.atomic.AtomicInteger::get).sum())
			.append(" views, ")
			.append(ledger.comments.size())
			.append(" comments, ")
			.append(ledger.chats.size())
			.append(" chat messages acknowledged\n\n");
		out.append(
				"| process | down s | restart s | UP after s | fan-out s | count s | requests | 2xx–4xx | 500 | 503 | other 5xx | no answer | lost | doubled |\n");
		out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
		Map<String, Row> byProcess = new LinkedHashMap<>();
		byProcess.put("baseline", null);
		rows.forEach(r -> byProcess.put(r.process(), r));
		byProcess.put("after", null);
		byProcess.forEach((phase, row) -> {
			Map<String, Long> seen = outcomes.of(phase);
			long total = outcomes.total(phase);
			long fine = seen.entrySet()
				.stream()
				.filter(e -> !e.getKey().equals("io") && Integer.parseInt(e.getKey()) < 500)
				.mapToLong(Map.Entry::getValue)
				.sum();
			long e500 = outcomes.count(phase, "500");
			long e503 = outcomes.count(phase, "503");
			long io = outcomes.count(phase, "io");
			long lost = findings.stream().filter(f -> f.phase().equals(phase) && !f.doubled()).count();
			long doubled = findings.stream().filter(f -> f.phase().equals(phase) && f.doubled()).count();
			out.append(String.format("| %s | %s | %s | %s | %s | %s | %d | %d | %d | %d | %d | %d | %d | %d |%n", phase,
					row == null ? "" : String.format("%.0f", row.downSeconds()),
					row == null ? "" : String.format("%.1f", row.restartSeconds()),
					row == null ? "" : seconds(row.healthySeconds()),
					row == null ? "" : seconds(row.probe().fanOutSeconds()),
					row == null ? "" : seconds(row.probe().countSeconds()), total, fine, e500, e503,
					total - fine - e500 - e503 - io, io, lost, doubled));
		});
		long unplaced = findings.stream().filter(f -> !byProcess.containsKey(f.phase())).count();
		out.append("\n")
			.append(findings.isEmpty() ? "every acknowledged write checked: 0 lost, 0 doubled" : findings.size()
					+ " findings" + (unplaced > 0 ? " (" + unplaced + " not tied to a phase)" : "") + ":");
		out.append("\n");
		findings.stream().limit(40).forEach(f -> out.append("- ").append(f).append('\n'));
		return out.toString();
	}

	private static String seconds(double s) {
		return s < 0 ? "never" : String.format("%.1f", s);
	}

	private static String runLetters() {
		StringBuilder letters = new StringBuilder();
		for (int i = 0; i < 4; i++) {
			letters.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
		}
		return letters.toString();
	}

	static void say(String format, Object... args) {
		System.err.printf("[chaos] " + format + "%n", args);
	}

	/**
	 * Barrage into one room from one viewer, reconnecting as needed: load only (barrage
	 * is sampled by design, so not counted).
	 */
	static final class BarrageLoad {

		private final int port;

		private final TestUser viewer;

		private final String room;

		private volatile boolean stopped;

		BarrageLoad(int port, TestUser viewer, String room) {
			this.port = port;
			this.viewer = viewer;
			this.room = room;
		}

		void start() {
			Thread.ofVirtual().name("chaos-barrage").start(() -> {
				ImClient client = null;
				int n = 0;
				while (!this.stopped) {
					try {
						if (client == null || client.isClosed()) {
							client = ImClient.connect(this.port, this.viewer.token(), null);
							client.send("{\"type\":\"join\",\"room\":\"" + this.room + "\"}");
						}
						client.send("{\"type\":\"barrage\",\"room\":\"" + this.room + "\",\"text\":\"wave " + (++n)
								+ "\"}");
					}
					catch (RuntimeException down) {
						client = null;
					}
					try {
						Thread.sleep(1000);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
				if (client != null) {
					client.close();
				}
			});
		}

		void stop() {
			this.stopped = true;
		}

	}

}
