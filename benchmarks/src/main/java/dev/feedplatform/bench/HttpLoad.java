package dev.feedplatform.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * HTTP load for the request/response benchmarks (gifts, red-packet grabs, pre-orders): a
 * closed loop ({@value #CLIENTS} virtual threads sending back to back: the throughput)
 * and an open loop (each request started on schedule on a virtual thread of its own,
 * whatever the answers' speed: the latency without coordinated omission). Both count 2xx
 * answers and time every answer.
 */
final class HttpLoad {

	static final int CLIENTS = 32;

	/** The {@code n}-th request of a loop, sent with {@code token}. */
	interface Request {

		HttpRequest.Builder request(long n, String token);

	}

	/** 2xx answers per second, and the answers' p50 / p99 ("3 ms / 12 ms"). */
	record Rate(double perSecond, String answered) {
	}

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String name;

	private final int port;

	/** {@code name} labels the benchmark's log lines. */
	HttpLoad(String name, int port) {
		this.name = name;
		this.port = port;
	}

	HttpRequest.Builder get(String path, String token) {
		return HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + token).GET();
	}

	HttpRequest.Builder post(String path, String token, String json) {
		return HttpRequest.newBuilder(URI.create(base() + path))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
	}

	private String base() {
		return "http://127.0.0.1:" + this.port;
	}

	/**
	 * {@value #CLIENTS} virtual threads sending back to back for {@code duration}, client
	 * {@code c} with {@code tokens[c % length]}.
	 */
	Rate closedLoop(Duration duration, Request request, String[] tokens) throws InterruptedException {
		LongAdder ok = new LongAdder();
		LongAdder failed = new LongAdder();
		ConcurrentLinkedQueue<long[]> timings = new ConcurrentLinkedQueue<>();
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicLong sequence = new AtomicLong();
		List<Thread> threads = new ArrayList<>();
		long start = System.nanoTime();
		for (int c = 0; c < CLIENTS; c++) {
			String token = tokens[c % tokens.length];
			threads.add(Thread.ofVirtual().start(() -> {
				long[] mine = new long[1 << 16];
				int count = 0;
				while (running.get()) {
					long sent = System.nanoTime();
					(send(request.request(sequence.getAndIncrement(), token)) ? ok : failed).increment();
					if (count < mine.length) {
						mine[count++] = (System.nanoTime() - sent) / 1_000;
					}
				}
				timings.add(Arrays.copyOf(mine, count));
			}));
		}
		Thread.sleep(duration.toMillis());
		running.set(false);
		for (Thread thread : threads) {
			thread.join();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		reportFailures(failed);
		return new Rate(ok.sum() / seconds, percentiles(timings.stream().flatMapToLong(Arrays::stream).toArray()));
	}

	/**
	 * Requests at {@code perSecond} for {@code duration}, each timed from when it was
	 * due.
	 */
	Rate openLoop(Duration duration, double perSecond, Request request, String[] tokens) throws InterruptedException {
		LongAdder ok = new LongAdder();
		LongAdder failed = new LongAdder();
		long[] micros = new long[(int) (duration.toSeconds() * perSecond) + 16];
		AtomicLong answered = new AtomicLong();
		List<Thread> threads = new ArrayList<>();
		long interval = (long) (1e9 / perSecond);
		long start = System.nanoTime();
		for (int i = 0; System.nanoTime() - start < duration.toNanos() && i < micros.length; i++) {
			long due = start + i * interval;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
			}
			String token = tokens[i % tokens.length];
			long n = i;
			threads.add(Thread.ofVirtual().start(() -> {
				(send(request.request(n, token)) ? ok : failed).increment();
				micros[(int) answered.getAndIncrement()] = (System.nanoTime() - due) / 1_000;
			}));
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		for (Thread thread : threads) {
			thread.join();
		}
		reportFailures(failed);
		return new Rate(ok.sum() / seconds, percentiles(Arrays.copyOf(micros, (int) answered.get())));
	}

	private boolean send(HttpRequest.Builder request) {
		try {
			return this.client
				.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding())
				.statusCode() / 100 == 2;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (Exception ex) {
			return false;
		}
	}

	private void reportFailures(LongAdder failed) {
		if (failed.sum() > 0) {
			System.out.println("[bench] " + this.name + ": " + failed.sum() + " requests not answered 2xx");
		}
	}

	/** "p50 ms / p99 ms" of latencies in microseconds. */
	static String percentiles(long[] micros) {
		if (micros.length == 0) {
			return "-";
		}
		long[] sorted = micros.clone();
		Arrays.sort(sorted);
		return ms(sorted[rank(sorted.length, 0.5)]) + " ms / " + ms(sorted[rank(sorted.length, 0.99)]) + " ms";
	}

	private static int rank(int n, double quantile) {
		return (int) Math.min(n - 1, Math.max(0, Math.ceil(n * quantile) - 1));
	}

	private static String ms(long micros) {
		return micros >= 10_000 ? Long.toString(Math.round(micros / 1000.0)) : String.format("%.1f", micros / 1000.0);
	}

}
