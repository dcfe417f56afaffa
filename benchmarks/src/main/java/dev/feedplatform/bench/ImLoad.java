package dev.feedplatform.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chat devices of {@link ImBench}, in a JVM of their own (so the platform JVM's CPU
 * time is the platform's), on the JDK's WebSocket client. Reads a plan (one line a
 * device: role, token, device id, target) and runs one of three shapes, printing
 * {@code RESULT key=value ...} lines:
 * <ul>
 * <li>{@code send}: senders send at a fixed total rate for a while; recipients
 * acknowledge cumulatively and record send → receive latency (the sender's
 * {@code System.nanoTime()} rides in the text; both JVMs read the same monotonic
 * clock);</li>
 * <li>{@code storm}: every device connects, all drop at once, then reconnect with jitter
 * and sync their conversation; reports when the last one has the messages sent while they
 * were away.</li>
 * </ul>
 */
public final class ImLoad {

	private static final Pattern CHAT = Pattern.compile(
			"\"type\":\"chat\".*\"conversation\":\"([^\"]+)\",\"seq\":(\\d+),\"from\":\"(\\d+)\",\"text\":\"t(\\d+)");

	private static final HttpClient HTTP = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();

	private static final AtomicLong received = new AtomicLong();

	private static final AtomicLong sentAnswers = new AtomicLong();

	private static final AtomicLong errors = new AtomicLong();

	private static final Latencies latencies = new Latencies();

	private static volatile boolean measuring;

	private ImLoad() {
	}

	/** One device: a connection, its acks, what it received. */
	static final class Device implements WebSocket.Listener {

		final String token;

		final String device;

		final String target;

		final long self;

		volatile WebSocket socket;

		final StringBuilder partial = new StringBuilder();

		final Map<String, Long> maxSeq = new ConcurrentHashMap<>();

		final Map<String, Long> acked = new ConcurrentHashMap<>();

		final AtomicInteger clientSeq = new AtomicInteger();

		volatile CompletableFuture<Void> caughtUp = new CompletableFuture<>();

		volatile long expect;

		Device(String token, String device, String target, long self) {
			this.token = token;
			this.device = device;
			this.target = target;
			this.self = self;
		}

		CompletableFuture<WebSocket> connect(int port) {
			return HTTP.newWebSocketBuilder()
				.connectTimeout(Duration.ofSeconds(30))
				.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?token=" + this.token + "&device=" + this.device),
						this)
				.thenApply(ws -> this.socket = ws);
		}

		synchronized void send(String frame) {
			WebSocket ws = this.socket;
			if (ws != null && !ws.isOutputClosed()) {
				ws.sendText(frame, true).join();
			}
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				String frame = this.partial.toString();
				this.partial.setLength(0);
				handle(frame);
			}
			webSocket.request(1);
			return null;
		}

		private void handle(String frame) {
			if (frame.startsWith("{\"type\":\"sent\"")) {
				sentAnswers.incrementAndGet();
				return;
			}
			if (frame.startsWith("{\"type\":\"error\"")) {
				errors.incrementAndGet();
				return;
			}
			Matcher m = CHAT.matcher(frame);
			if (!m.find()) {
				return;
			}
			String conversation = m.group(1);
			long seq = Long.parseLong(m.group(2));
			long from = Long.parseLong(m.group(3));
			this.maxSeq.merge(conversation, seq, Math::max);
			if (from != this.self) {
				received.incrementAndGet();
				if (measuring) {
					long latency = System.nanoTime() - Long.parseLong(m.group(4));
					synchronized (latencies) {
						latencies.record(latency);
					}
				}
				if (seq >= this.expect) {
					this.caughtUp.complete(null);
				}
			}
			if (seq - this.acked.getOrDefault(conversation, 0L) >= 16) {
				ack(conversation);
			}
		}

		void ack(String conversation) {
			long seq = this.maxSeq.getOrDefault(conversation, 0L);
			if (seq > this.acked.getOrDefault(conversation, 0L)) {
				this.acked.put(conversation, seq);
				try {
					send("{\"type\":\"ack\",\"conversation\":\"" + conversation + "\",\"seq\":" + seq + "}");
				}
				catch (RuntimeException closed) {
					// reconnecting
				}
			}
		}

		void ackAll() {
			this.maxSeq.keySet().forEach(this::ack);
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
		}

	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		String shape = args[1];
		List<String> lines = Files.readAllLines(Path.of(args[2]));
		double rate = Double.parseDouble(args[3].split(",")[0]);
		long seconds = Long.parseLong(args[4]);
		List<Device> senders = new ArrayList<>();
		List<Device> receivers = new ArrayList<>();
		for (String line : lines) {
			String[] f = line.split(" ");
			Device d = new Device(f[1], f[2], f[3], Long.parseLong(f[4]));
			(f[0].equals("S") ? senders : receivers).add(d);
		}
		List<Device> all = new ArrayList<>(senders);
		all.addAll(receivers);
		connectAll(all, port);
		Thread acker = Thread.ofPlatform().daemon().start(() -> {
			while (true) {
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException ex) {
					return;
				}
				all.forEach(Device::ackAll);
			}
		});
		System.out.println("READY " + all.size());
		System.out.flush();
		if (shape.equals("send")) {
			// One or more rates ("500,1000,3000"), each warmed up, drained, measured,
			// drained.
			for (String each : args[3].split(",")) {
				measure(senders, Double.parseDouble(each), seconds);
			}
		}
		else if (shape.equals("storm")) {
			storm(port, senders.get(0), receivers, (long) rate);
		}
		System.out.flush();
		acker.interrupt();
		System.exit(0);
	}

	private static void measure(List<Device> senders, double rate, long seconds) throws Exception {
		long warmFrom = sentAnswers.get();
		long warm = send(senders, rate, 3, false); // warm-up (the JIT compiles the paths)
		drain(warmFrom + warm);
		Thread.sleep(1_000);
		long base = received.get();
		long baseAnswers = sentAnswers.get();
		synchronized (latencies) {
			latencies.clear();
		}
		measuring = true;
		long start = System.nanoTime();
		long planned = send(senders, rate, seconds, true);
		long sendEnd = System.nanoTime();
		drain(baseAnswers + planned);
		Thread.sleep(500);
		long end = System.nanoTime();
		measuring = false;
		double window = (sendEnd - start) / 1e9;
		synchronized (latencies) {
			System.out.printf(
					"RESULT rate=%.0f planned=%d sent=%d received=%d errors=%d seconds=%.2f drain=%.2f p50=%.1f p99=%.1f%n",
					rate, planned, sentAnswers.get() - baseAnswers, received.get() - base, errors.get(), window,
					(end - sendEnd) / 1e9, latencies.percentileMs(50), latencies.percentileMs(99));
		}
		System.out.flush();
	}

	/** Waits (up to 60 s) until {@code answers} sends have been answered. */
	private static void drain(long answers) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (sentAnswers.get() < answers && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
	}

	private static void connectAll(List<Device> devices, int port) {
		List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
		for (Device d : devices) {
			pending.add(d.connect(port));
			if (pending.size() >= 200) {
				pending.forEach(CompletableFuture::join);
				pending.clear();
			}
		}
		pending.forEach(CompletableFuture::join);
	}

	/**
	 * Sends at {@code rate} a second in total, spread over the senders, for
	 * {@code seconds}; answers how many.
	 */
	private static long send(List<Device> senders, double rate, long seconds, boolean measured) throws Exception {
		long total = (long) (rate * seconds);
		long start = System.nanoTime();
		long periodNanos = (long) (1e9 / rate);
		var pool = Executors.newFixedThreadPool(4);
		for (long i = 0; i < total; i++) {
			long due = start + i * periodNanos;
			long wait = due - System.nanoTime();
			if (wait > 200_000) {
				Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
			}
			Device d = senders.get((int) (i % senders.size()));
			int seq = d.clientSeq.incrementAndGet();
			String frame = "{\"type\":\"chat\",\""
					+ (d.target.startsWith("g") ? "group\":\"" + d.target.substring(1) : "to\":\"" + d.target)
					+ "\",\"client_seq\":" + seq + ",\"text\":\"t" + System.nanoTime() + "\"}";
			pool.execute(() -> d.send(frame));
		}
		pool.shutdown();
		pool.awaitTermination(30, TimeUnit.SECONDS);
		return total;
	}

	/**
	 * The reconnect storm: every receiver is connected; all drop at once; the sender
	 * writes one message to each while they are away; they reconnect spread over
	 * {@code jitterMs}, each asking for its conversation by {@code sync}; the clock stops
	 * when the last has its message.
	 */
	private static void storm(int port, Device sender, List<Device> receivers, long jitterMs) throws Exception {
		receivers.forEach(d -> d.socket.abort());
		Thread.sleep(2_000);
		long before = sentAnswers.get();
		for (Device d : receivers) {
			int seq = sender.clientSeq.incrementAndGet();
			sender.send("{\"type\":\"chat\",\"to\":\"" + d.self + "\",\"client_seq\":" + seq + ",\"text\":\"t"
					+ System.nanoTime() + "\"}");
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (sentAnswers.get() - before < receivers.size() && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		for (Device d : receivers) {
			d.caughtUp = new CompletableFuture<>();
			d.expect = 1;
		}
		System.out.println("STORM " + System.nanoTime());
		System.out.flush();
		long start = System.nanoTime();
		var timer = Executors.newScheduledThreadPool(2);
		for (Device d : receivers) {
			timer.schedule(
					() -> d.connect(port)
						.thenRun(() -> d
							.send("{\"type\":\"sync\",\"conversation\":\"" + d.target + "\",\"after_seq\":0}")),
					ThreadLocalRandom.current().nextLong(jitterMs), TimeUnit.MILLISECONDS);
		}
		int caught = 0;
		for (Device d : receivers) {
			try {
				d.caughtUp.get(Math.max(1, deadline + TimeUnit.SECONDS.toNanos(60) - System.nanoTime()),
						TimeUnit.NANOSECONDS);
				caught++;
			}
			catch (Exception ex) {
				// counted as not caught up
			}
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		timer.shutdown();
		System.out.printf("RESULT devices=%d caughtUp=%d seconds=%.2f sent=%d errors=%d%n", receivers.size(), caught,
				seconds, sentAnswers.get() - before, errors.get());
	}

}
