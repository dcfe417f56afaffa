package dev.feedplatform.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.IntConsumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Live rooms: {@link #VIEWERS} WebSocket viewers on the gateway port, first all in one
 * room, then spread over 100 rooms; ten senders put 200 barrage/s into the rooms for 10
 * s. The viewers run in a JVM of their own ({@link ViewerLoad}, a Netty client), so this
 * JVM's CPU time is the platform's (and the senders'): delivered messages are the items
 * inside merged batches, counted per viewer by the platform's own meter, per second and
 * per CPU-second of this JVM; latency is ingress timestamp to the viewer's receipt (same
 * machine clock); heap per connection is this JVM's server side.
 */
final class LiveRoomBench {

	static final int VIEWERS = Integer.getInteger("feed.bench.live.viewers", 10_000);

	private static final int RATE = 200;

	private static final Duration RUN = Duration.ofSeconds(10);

	/**
	 * Warm-up at full rate before each shape. The first is long: the platform is a lot of
	 * code (broker client, search sync, Redis, HTTP), and with 20 s C2 was still
	 * compiling new methods at about a third of a core in the measured window
	 * (-XX:+PrintCompilation: ~1,000 compilations between 30 and 45 s after start).
	 */
	private static final Duration WARM_UP = Duration
		.ofSeconds(Integer.getInteger("feed.bench.live.warm-up-seconds", 20));

	private static final Duration FIRST_WARM_UP = Duration
		.ofSeconds(Integer.getInteger("feed.bench.live.first-warm-up-seconds", 60));

	private boolean warm;

	/**
	 * Which server the viewers connect to: "gateway" (Netty, its own port) or "app"
	 * (Tomcat's /ws).
	 */
	private String server = "app".equals(System.getProperty("feed.bench.live.server")) ? "app" : "gateway";

	private final Bench bench;

	LiveRoomBench(Bench bench) {
		this.bench = bench;
	}

	void run() throws Exception {
		Fixture fixture = this.bench.fixture();
		long[] users = fixture.users("live-viewer", VIEWERS + 11);
		String owner = fixture.token(users[VIEWERS]);
		List<String> senders = new ArrayList<>();
		for (int i = 1; i <= 10; i++) {
			senders.add(fixture.token(users[VIEWERS + i]));
		}
		List<String> rooms = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			rooms.add(this.bench.http()
				.postJson("/api/rooms", owner, "{\"title\":\"bench " + i + "\"}", "\"id\":\"(\\d+)\""));
		}
		String[] tokens = new String[VIEWERS];
		for (int i = 0; i < VIEWERS; i++) {
			tokens[i] = fixture.token(users[i]);
		}
		// A room this machine can carry with headroom (latency), then the full 10,000
		// (throughput).
		int small = Math.min(VIEWERS, 1_000);
		// -Dfeed.bench.live.shapes=small,mid,big,spread picks some of them (all by
		// default).
		List<String> shapes = List
			.of(System.getProperty("feed.bench.live.shapes", "small,tomcat,mid,big,spread").split(","));
		double gateway = 0;
		if (shapes.contains("small")) {
			gateway = measure("one room, " + small + " viewers", java.util.Arrays.copyOf(tokens, small),
					rooms.subList(0, 1), senders, false);
		}
		if (shapes.contains("tomcat") && gateway > 0 && "gateway".equals(this.server)) {
			// The same room on /ws of the application port, in the same run: what the
			// gateway port is measured against.
			this.server = "app";
			double tomcat = measure("one room, " + small + " viewers, Tomcat /ws",
					java.util.Arrays.copyOf(tokens, small), rooms.subList(0, 1), senders, false);
			this.server = "gateway";
			this.bench.report()
				.add("live", "delivered per CPU-second, " + small + " viewers: gateway port vs Tomcat /ws",
						Report.num(gateway, "/s"), Report.num(tomcat, "/s Tomcat"),
						String.format(java.util.Locale.ROOT, "%.2f×", gateway / Math.max(1, tomcat)), "");
		}
		if (shapes.contains("mid") && VIEWERS > 5_000) {
			measure("one room, 5000 viewers", java.util.Arrays.copyOf(tokens, 5_000), rooms.subList(0, 1), senders,
					false);
		}
		if (shapes.contains("big")) {
			measure("one room, " + VIEWERS + " viewers", tokens, rooms.subList(0, 1), senders, true);
		}
		if (shapes.contains("spread")) {
			measure("100 rooms, " + VIEWERS / 100 + " viewers each", tokens, rooms, senders, false);
		}
	}

	/**
	 * Runs one shape and reports it; returns its delivered items per CPU-second of this
	 * JVM.
	 */
	private double measure(String shape, String[] tokens, List<String> rooms, List<String> senderTokens, boolean heap)
			throws Exception {
		Path plan = Files.createTempFile("viewers", ".txt");
		StringBuilder lines = new StringBuilder();
		for (int i = 0; i < tokens.length; i++) {
			lines.append(tokens[i]).append(' ').append(rooms.get(i % rooms.size())).append('\n');
		}
		Files.writeString(plan, lines);
		System.gc();
		long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		Process load = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xms512m", "-Xmx1g",
				"-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"), ViewerLoad.class.getName(),
				Integer.toString(webSocketPort()), plan.toString())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		BufferedReader out = new BufferedReader(new InputStreamReader(load.getInputStream()));
		Writer in = new OutputStreamWriter(load.getOutputStream());
		double perCpu;
		try {
			String ready = out.readLine();
			if (ready == null || !ready.startsWith("READY")) {
				throw new IllegalStateException("viewer load generator failed: " + ready);
			}
			if (heap) {
				System.gc();
				long heapAfter = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
				this.bench.report()
					.add("live", "server heap per WebSocket connection (" + tokens.length + " connected)",
							Report.num((heapAfter - heapBefore) / (double) tokens.length, "B"), "", "", "");
			}
			// Ten senders of 20 barrage/s each: one viewer may send at most 20 frames a
			// second.
			HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
			List<WebSocket> senders = new ArrayList<>();
			for (int k = 0; k < senderTokens.size(); k++) {
				senders.add(connectSender(client, senderTokens, k, rooms));
			}
			Thread.sleep(1_000);
			IntConsumer resend = k -> senders.set(k, connectSender(client, senderTokens, k, rooms));
			// Warm-up at full rate: the JIT compiles the delivery path (a cold JVM spends
			// a core compiling).
			send(senders, rooms, this.warm ? WARM_UP : FIRST_WARM_UP, resend);
			this.warm = true;
			double deliveredBefore = counter("feed.barrage.delivered");
			double droppedBefore = counter("feed.gateway.viewers.dropped");
			in.write("GO\n");
			in.flush();
			profile("start,event=" + System.getProperty("feed.bench.profile.event", "ctimer") + ",interval=1ms");
			long cpuBefore = cpuNanos();
			long start = System.nanoTime();
			send(senders, rooms, RUN, resend);
			Thread.sleep(1_000);
			double seconds = (System.nanoTime() - start) / 1e9;
			double delivered = counter("feed.barrage.delivered") - deliveredBefore;
			double cpuSeconds = (cpuNanos() - cpuBefore) / 1e9;
			profile("stop,collapsed,file=" + System.getProperty("feed.bench.profile", "") + "-"
					+ shape.replaceAll("\\W+", "_") + ".collapsed");
			in.write("STOP\n");
			in.flush();
			String result = out.readLine();
			if (result == null || !result.startsWith("RESULT")) {
				throw new IllegalStateException("viewer load generator gave no result: " + result);
			}
			String[] r = result.split(" ");
			senders.forEach(WebSocket::abort);
			Report report = this.bench.report();
			report.add("live", "delivered barrage/s, " + shape + " (" + RATE + "/s in)",
					Report.num(delivered / seconds, "/s"), Report.num(Long.parseLong(r[1]) / seconds, "/s received"),
					"", "");
			report.add("live", "delivered per CPU-second of the platform's JVM, " + shape,
					Report.num(delivered / Math.max(0.001, cpuSeconds), "/s"), "", "", "≥ 1M/s per core");
			report.add("live", "viewers dropped (64 KiB behind) / disconnected, " + shape,
					Report.num(counter("feed.gateway.viewers.dropped") - droppedBefore, "") + " / " + r[5], "", "", "");
			report.add("live", "send → receive p50 / p99, " + shape, r[3] + " ms / " + r[4] + " ms", "", "",
					"p99 ≤ 200 ms");
			perCpu = delivered / Math.max(0.001, cpuSeconds);
			report.add("live", "CPU-seconds per second: platform JVM / viewers' JVM, " + shape,
					Report.num(cpuSeconds / seconds, "") + " / " + Report.num(Double.parseDouble(r[6]) / seconds, ""),
					"", "", "");
		}
		finally {
			load.destroyForcibly();
			load.waitFor();
			Files.deleteIfExists(plan);
		}
		return perCpu;
	}

	/**
	 * Sender {@code k} joins the rooms it sends to: barrage n goes to room n mod R from
	 * sender n mod S, so sender k sends to the rooms r with r = k (mod gcd(R, S)),
	 * staying within its frame limit of 20 a second.
	 */
	private WebSocket connectSender(HttpClient client, List<String> tokens, int k, List<String> rooms) {
		WebSocket sender = client.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + webSocketPort() + "/ws?token=" + tokens.get(k)), new Ignore())
			.join();
		int g = java.math.BigInteger.valueOf(rooms.size()).gcd(java.math.BigInteger.valueOf(tokens.size())).intValue();
		for (int r = k % g; r < rooms.size(); r += g) {
			sender.sendText("{\"type\":\"join\",\"room\":\"" + rooms.get(r) + "\"}", true).join();
		}
		return sender;
	}

	/**
	 * {@link #RATE} barrage a second for {@code duration}, round-robin over rooms and
	 * senders; {@code reconnect} replaces sender k when the node dropped it (it falls
	 * behind reading its room like any viewer).
	 */
	private static void send(List<WebSocket> senders, List<String> rooms, Duration duration, IntConsumer reconnect)
			throws InterruptedException {
		long start = System.nanoTime();
		long sent = 0;
		while (System.nanoTime() - start < duration.toNanos()) {
			long due = (System.nanoTime() - start) * RATE / 1_000_000_000L;
			while (sent < due) {
				String room = rooms.get((int) (sent % rooms.size()));
				int k = (int) (sent % senders.size());
				try {
					senders.get(k)
						.sendText("{\"type\":\"barrage\",\"room\":\"" + room + "\",\"text\":\"bench " + sent + "\"}",
								true)
						.join();
				}
				catch (java.util.concurrent.CompletionException closed) {
					// this barrage is lost with the connection, as a real client's would
					// be
					reconnect.accept(k);
				}
				sent++;
			}
			Thread.sleep(1);
		}
	}

	/**
	 * With {@code -Dfeed.bench.profile=PATH_PREFIX} and async-profiler on the class path
	 * ({@code tools.profiler:async-profiler}), the measured window is CPU-profiled into
	 * collapsed stacks, one file per shape. Off by default; reflection keeps it out of
	 * the build.
	 */
	private static void profile(String command) {
		if (System.getProperty("feed.bench.profile") == null) {
			return;
		}
		try {
			Class<?> type = Class.forName("one.profiler.AsyncProfiler");
			Object profiler = type.getMethod("getInstance").invoke(null);
			type.getMethod("execute", String.class).invoke(profiler, command);
		}
		catch (ReflectiveOperationException | LinkageError ex) {
			System.err.println("[bench] profiling unavailable: " + ex);
		}
	}

	/**
	 * The gateway's own port (Netty) unless {@code -Dfeed.bench.live.server=app} asks for
	 * {@code /ws} on the application port (Tomcat), for comparison.
	 */
	private int webSocketPort() {
		String property = "app".equals(this.server) ? "local.server.port" : "local.gateway.port";
		return this.bench.context().getEnvironment().getRequiredProperty(property, Integer.class);
	}

	private static long cpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private double counter(String name) {
		Counter counter = this.bench.bean(MeterRegistry.class).find(name).counter();
		return counter == null ? 0 : counter.count();
	}

	/** The senders read nothing they are sent. */
	static final class Ignore implements WebSocket.Listener {

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			webSocket.request(1);
			return null;
		}

	}

}
