package dev.feedplatform.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;

/**
 * A chat device as a real client would be: one WebSocket ({@code ?token=&device=}), every
 * frame it received kept in order, chat frames acknowledged cumulatively as they arrive
 * (unless told not to), and a device-level record per conversation of what it accepted: a
 * frame whose seq is the next one is accepted, one at or below the last accepted is a
 * redelivery (at-least-once; a real client drops it by seq), one beyond the next is out
 * of order. The record can outlive the connection ({@link #reconnect}), as a phone's
 * local store does.
 */
public final class ImClient implements WebSocket.Listener {

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	/** What a device accepted in one conversation, across its connections. */
	public static final class Accepted {

		public final List<Long> seqs = new ArrayList<>();

		public final List<String> msgIds = new ArrayList<>();

		public final List<String> texts = new ArrayList<>();

		public int redelivered;

		public int outOfOrder;

		public long last() {
			return this.seqs.isEmpty() ? 0 : this.seqs.get(this.seqs.size() - 1);
		}

	}

	private final String url;

	private final boolean autoAck;

	private final List<String> frames = new ArrayList<>();

	private final Map<String, Accepted> accepted;

	private final StringBuilder partial = new StringBuilder();

	private final CompletableFuture<Integer> closed = new CompletableFuture<>();

	private volatile WebSocket socket;

	private ImClient(String url, boolean autoAck, Map<String, Accepted> accepted) {
		this.url = url;
		this.autoAck = autoAck;
		this.accepted = accepted;
	}

	/**
	 * Connects to {@code ws://127.0.0.1:port/ws} as the token's user, with the device id
	 * (null: none).
	 */
	public static ImClient connect(int port, String token, String device) {
		return connect(port, token, device, true);
	}

	public static ImClient connect(int port, String token, String device, boolean autoAck) {
		String url = "ws://127.0.0.1:" + port + "/ws?token=" + token + (device == null ? "" : "&device=" + device);
		ImClient client = new ImClient(url, autoAck, new HashMap<>());
		client.open();
		return client;
	}

	/**
	 * The same device on a new connection (to {@code port}), keeping what it accepted so
	 * far.
	 */
	public ImClient reconnect(int port) {
		String again = this.url.replaceFirst("127\\.0\\.0\\.1:\\d+", "127.0.0.1:" + port);
		ImClient client = new ImClient(again, this.autoAck, this.accepted);
		client.open();
		return client;
	}

	private void open() {
		this.socket = HTTP.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.buildAsync(URI.create(this.url), this)
			.join();
	}

	private final Object sending = new Object();

	/**
	 * One frame; sends are serialised (the JDK's WebSocket allows one outstanding send),
	 * acks included.
	 */
	public void send(String frame) {
		synchronized (this.sending) {
			this.socket.sendText(frame, true).join();
		}
	}

	public void chat(long to, long clientSeq, String text) {
		send("{\"type\":\"chat\",\"to\":\"" + to + "\",\"client_seq\":" + clientSeq + ",\"text\":" + quote(text) + "}");
	}

	public void chatGroup(String group, long clientSeq, String text) {
		send("{\"type\":\"chat\",\"group\":\"" + group + "\",\"client_seq\":" + clientSeq + ",\"text\":" + quote(text)
				+ "}");
	}

	public void sync(String conversation, long afterSeq, Integer size) {
		send("{\"type\":\"sync\",\"conversation\":\"" + conversation + "\",\"after_seq\":" + afterSeq
				+ (size == null ? "" : ",\"size\":" + size) + "}");
	}

	/**
	 * A WebSocket protocol-level ping (what browsers and mobile libraries send to keep
	 * alive), not a {@code ping} frame.
	 */
	public void protocolPing() {
		synchronized (this.sending) {
			this.socket.sendPing(java.nio.ByteBuffer.wrap(new byte[] { 'k' })).join();
		}
	}

	/** The close code, once the server closed the connection (null while open). */
	public Integer closeCode() {
		return this.closed.isDone() && !this.closed.isCompletedExceptionally() ? this.closed.join() : null;
	}

	public void close() {
		try {
			this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, java.util.concurrent.TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			this.socket.abort();
		}
	}

	public void abort() {
		this.socket.abort();
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		this.partial.append(data);
		if (last) {
			String frame = this.partial.toString();
			this.partial.setLength(0);
			received(webSocket, frame);
		}
		webSocket.request(1);
		return null;
	}

	private void received(WebSocket webSocket, String frame) {
		DocumentContext json = JsonPath.parse(frame);
		String ack = null;
		synchronized (this) {
			this.frames.add(frame);
			if ("chat".equals(json.read("$.type"))) {
				String conversation = json.read("$.conversation");
				long seq = ((Number) json.read("$.seq")).longValue();
				Accepted a = this.accepted.computeIfAbsent(conversation, c -> new Accepted());
				synchronized (a) {
					if (seq <= a.last()) {
						a.redelivered++;
					}
					else {
						if (seq != a.last() + 1 && !a.seqs.isEmpty()) {
							a.outOfOrder++;
						}
						a.seqs.add(seq);
						a.msgIds.add(json.read("$.msg_id"));
						a.texts.add(json.read("$.text"));
					}
				}
				if (this.autoAck) {
					ack = "{\"type\":\"ack\",\"conversation\":\"" + conversation + "\",\"seq\":" + seq + "}";
				}
			}
			notifyAll();
		}
		if (ack != null) {
			try {
				send(ack);
			}
			catch (RuntimeException closing) {
				// the connection is going; the position is resumed from what was
				// acknowledged before
			}
		}
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closed.complete(statusCode);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closed.completeExceptionally(error);
	}

	public boolean isClosed() {
		return this.closed.isDone();
	}

	/** Every frame received so far, in order. */
	public synchronized List<String> frames() {
		return List.copyOf(this.frames);
	}

	/**
	 * Waits up to {@code timeout} for a frame that matches; fails with what was received.
	 */
	public synchronized DocumentContext await(Predicate<DocumentContext> match, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		int seen = 0;
		while (true) {
			for (; seen < this.frames.size(); seen++) {
				DocumentContext frame = JsonPath.parse(this.frames.get(seen));
				if (match.test(frame)) {
					return frame;
				}
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new AssertionError("no matching frame within " + timeout + "; received " + this.frames);
			}
			try {
				wait(Math.max(1, left / 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

	/** The {@code sent} answer to a client seq. */
	public DocumentContext sent(long clientSeq) {
		return await(f -> "sent".equals(f.read("$.type")) && ((Number) f.read("$.client_seq")).longValue() == clientSeq,
				Duration.ofSeconds(15));
	}

	/** The {@code error} answer to a client seq (null: any error frame). */
	public DocumentContext error(Long clientSeq) {
		return await(f -> "error".equals(f.read("$.type"))
				&& (clientSeq == null || clientSeq.equals(number(f, "$.client_seq"))), Duration.ofSeconds(15));
	}

	/**
	 * What this device accepted in a conversation (a live view; read it under its lock or
	 * after waiting).
	 */
	public Accepted accepted(String conversation) {
		synchronized (this) {
			return this.accepted.computeIfAbsent(conversation, c -> new Accepted());
		}
	}

	/** Waits until the device accepted seq {@code upTo} in the conversation. */
	public synchronized void awaitAccepted(String conversation, long upTo, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (accepted(conversation).last() < upTo) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new AssertionError("accepted only up to seq " + accepted(conversation).last() + " of " + upTo
						+ " in " + conversation + " within " + timeout);
			}
			try {
				wait(Math.max(1, left / 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
	}

	private static Long number(DocumentContext frame, String path) {
		try {
			Object value = frame.read(path);
			return value instanceof Number n ? n.longValue() : null;
		}
		catch (RuntimeException missing) {
			return null;
		}
	}

	private static String quote(String text) {
		StringBuilder out = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				default -> out.append(c);
			}
		}
		return out.append('"').toString();
	}

}
