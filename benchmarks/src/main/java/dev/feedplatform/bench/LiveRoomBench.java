package dev.feedplatform.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Live rooms: {@link #VIEWERS} WebSocket viewers connected to this node, first all in one room,
 * then spread over 100 rooms; a sender puts 200 barrage/s into the rooms for 10 s. Figures:
 * messages delivered per second (items inside merged batches, counted per viewer, by the
 * platform's own meter) and per CPU-second of this JVM, send→receive latency (ingress timestamp to
 * the client's receipt, same clock), and heap per connection (client and server in this JVM, so an
 * upper bound). The viewers' clients run in this JVM too: with one big room they, not the gateway,
 * are what saturates the two cores, and viewers that fall 64 KiB behind are dropped as designed.
 */
final class LiveRoomBench {

	static final int VIEWERS = 2_000;

	private static final int RATE = 200;

	private static final Duration RUN = Duration.ofSeconds(10);

	private static final Pattern TS = Pattern.compile("\"ts\":(\\d+)");

	private final Bench bench;

	/** The room each viewer is in. */
	private final String[] joined = new String[VIEWERS];

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
			rooms.add(this.bench.http().postJson("/api/rooms", owner, "{\"title\":\"bench " + i + "\"}", "\"id\":\"(\\d+)\""));
		}
		HttpClient client = HttpClient.newHttpClient();
		System.gc();
		long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		List<WebSocket> sockets = new ArrayList<>();
		for (int i = 0; i < VIEWERS; i++) {
			sockets.add(client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + this.bench.http().port() + "/ws?token="
					+ fixture.token(users[i])), new Receiver()).join());
		}
		System.gc();
		long heapAfter = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		Report report = this.bench.report();
		report.add("live", "heap per WebSocket connection (server + client in one JVM)", Report.num((heapAfter - heapBefore) / (double) VIEWERS, "B"),
				"", "", "");
		measure("one room, " + VIEWERS + " viewers", sockets, rooms.subList(0, 1), senders);
		measure("100 rooms, " + VIEWERS / 100 + " viewers each", sockets, rooms, senders);
		sockets.forEach(WebSocket::abort);
	}

	private void measure(String shape, List<WebSocket> sockets, List<String> rooms, List<String> senderTokens) throws Exception {
		for (int i = 0; i < sockets.size(); i++) {
			// One leave and one join per viewer: well within a viewer's frame limit.
			if (this.joined[i] != null) {
				sockets.get(i).sendText("{\"type\":\"leave\",\"room\":\"" + this.joined[i] + "\"}", true).join();
			}
			this.joined[i] = rooms.get(i % rooms.size());
			sockets.get(i).sendText("{\"type\":\"join\",\"room\":\"" + this.joined[i] + "\"}", true).join();
		}
		Thread.sleep(2_000);
		Latencies latencies = new Latencies();
		Receiver.current = latencies;
		// Ten senders of 20 barrage/s each: one viewer may send at most 20 frames a second.
		List<WebSocket> senders = new ArrayList<>();
		for (String token : senderTokens) {
			WebSocket sender = HttpClient.newHttpClient().newWebSocketBuilder()
				.buildAsync(URI.create("ws://127.0.0.1:" + this.bench.http().port() + "/ws?token=" + token), new Receiver())
				.join();
			// Barrage n goes to room n mod R from sender n mod S: sender k sends to the rooms r with
			// r = k (mod gcd(R, S)), and joins only those, staying within its frame limit.
			int k = senders.size();
			int g = java.math.BigInteger.valueOf(rooms.size()).gcd(java.math.BigInteger.valueOf(senderTokens.size())).intValue();
			for (int r = k % g; r < rooms.size(); r += g) {
				sender.sendText("{\"type\":\"join\",\"room\":\"" + rooms.get(r) + "\"}", true).join();
			}
			senders.add(sender);
		}
		double deliveredBefore = counter("feed.barrage.delivered");
		double droppedBefore = counter("feed.gateway.viewers.dropped");
		long cpuBefore = cpuNanos();
		long start = System.nanoTime();
		long sent = 0;
		while (System.nanoTime() - start < RUN.toNanos()) {
			long due = (System.nanoTime() - start) * RATE / 1_000_000_000L;
			while (sent < due) {
				String room = rooms.get((int) (sent % rooms.size()));
				WebSocket sender = senders.get((int) (sent % senders.size()));
				sender.sendText("{\"type\":\"barrage\",\"room\":\"" + room + "\",\"text\":\"bench " + sent + "\"}", true).join();
				sent++;
			}
			Thread.sleep(1);
		}
		Thread.sleep(1_000);
		double seconds = (System.nanoTime() - start) / 1e9;
		double delivered = counter("feed.barrage.delivered") - deliveredBefore;
		double cpuSeconds = (cpuNanos() - cpuBefore) / 1e9;
		senders.forEach(WebSocket::abort);
		Receiver.current = null;
		Report report = this.bench.report();
		report.add("live", "delivered barrage/s, " + shape + " (" + RATE + "/s in)", Report.num(delivered / seconds, "/s"), "", "", "");
		report.add("live", "delivered per CPU-second of this JVM, " + shape, Report.num(delivered / Math.max(0.001, cpuSeconds), "/s"), "", "",
				"≥ 1M/s per core");
		report.add("live", "viewers dropped for falling 64 KiB behind, " + shape, Report.num(counter("feed.gateway.viewers.dropped") - droppedBefore, ""),
				"", "", "");
		report.add("live", "send → receive p50 / p99, " + shape, Report.num(latencies.percentileMs(50), "ms") + " / "
				+ Report.num(latencies.percentileMs(99), "ms"), "", "", "p99 ≤ 200 ms");
	}

	private static long cpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	private double counter(String name) {
		Counter counter = this.bench.bean(MeterRegistry.class).find(name).counter();
		return counter == null ? 0 : counter.count();
	}

	/** Records the latency of every barrage in each frame into the current measurement. */
	static final class Receiver implements WebSocket.Listener {

		static volatile Latencies current;

		private final StringBuilder partial = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				long now = System.currentTimeMillis();
				Latencies into = current;
				if (into != null) {
					Matcher ts = TS.matcher(this.partial);
					while (ts.find()) {
						long nanos = (now - Long.parseLong(ts.group(1))) * 1_000_000L;
						synchronized (into) {
							into.record(nanos);
						}
					}
				}
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

	}

}
