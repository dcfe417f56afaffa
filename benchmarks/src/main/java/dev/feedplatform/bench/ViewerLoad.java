package dev.feedplatform.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;

/**
 * The live-room benchmark's viewers, in a JVM of their own so that the platform's figures
 * (CPU per delivered message, latency) are not the load generator's. Netty client on two
 * event loops; each viewer joins its room and counts the barrage items in the frames it
 * receives (scanning the bytes for {@code "ts":}, whose value is the ingress time on the
 * same clock), recording each item's latency.
 *
 * <p>
 * Protocol with the benchmark over stdin/stdout: arguments are the port and a file of
 * lines {@code token room}; it prints {@code READY n} once all viewers have joined,
 * starts counting on a {@code GO} line (forgetting what an earlier one counted) and
 * prints {@code RESULT items frames p50ms p99ms closed cpuSeconds} on {@code STOP}; exits
 * on {@code EXIT} or the end of its input.
 */
public final class ViewerLoad {

	private static final byte[] TS = "\"ts\":".getBytes(StandardCharsets.US_ASCII);

	static final long PING_SECONDS = 25;

	static volatile boolean counting;

	static final LongAdder items = new LongAdder();

	static final LongAdder frames = new LongAdder();

	static final AtomicInteger closed = new AtomicInteger();

	static final AtomicInteger errors = new AtomicInteger();

	/**
	 * Latency histograms in milliseconds, 0..9,999 (the last bucket holds everything
	 * slower), one per event loop.
	 */
	static final List<long[]> histograms = new java.util.concurrent.CopyOnWriteArrayList<>();

	private static final ThreadLocal<long[]> HISTOGRAM = ThreadLocal.withInitial(() -> {
		long[] histogram = new long[10_000];
		histograms.add(histogram);
		return histogram;
	});

	/** Each event loop's scratch copy of a frame's bytes. */
	private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal
		.withInitial(() -> new byte[][] { new byte[64 * 1024] });

	private ViewerLoad() {
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		List<String> lines = Files.readAllLines(Path.of(args[1]));
		// Epoll where it loads, like the gateway: the viewers' JVM shares the machine's
		// two cores with it.
		boolean epoll = Epoll.isAvailable();
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(2,
				epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
		CountDownLatch joined = new CountDownLatch(lines.size());
		Bootstrap bootstrap = new Bootstrap().group(group)
			.channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
			.option(ChannelOption.TCP_NODELAY, true);
		for (int start = 0; start < lines.size(); start += 200) {
			CountDownLatch wave = new CountDownLatch(Math.min(200, lines.size() - start));
			for (int i = start; i < Math.min(lines.size(), start + 200); i++) {
				String[] parts = lines.get(i).split(" ");
				URI uri = URI.create("ws://127.0.0.1:" + port + "/ws?token=" + parts[0]);
				String join = "{\"type\":\"join\",\"room\":\"" + parts[1] + "\"}";
				bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
					@Override
					protected void initChannel(SocketChannel ch) {
						ch.pipeline()
							.addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
									new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
										.webSocketUri(uri)
										.maxFramePayloadLength(1 << 20)
										.handleCloseFrames(true)
										.withUTF8Validator(false)
										.build()),
									new Viewer(join, joined, wave));
					}
				}).connect("127.0.0.1", port);
			}
			// In waves, so the handshakes don't all queue at once behind the server's
			// accept backlog.
			wave.await(30, TimeUnit.SECONDS);
		}
		if (!joined.await(120, TimeUnit.SECONDS)) {
			System.out.println("FAILED " + joined.getCount() + " viewers did not join");
			System.exit(1);
		}
		Thread.sleep(1_000); // the joins' routing entries settle
		System.out.println("READY " + lines.size());
		System.out.flush();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
		String line;
		long cpuStart = 0;
		while ((line = in.readLine()) != null) {
			if (line.equals("GO")) {
				// A new measurement: what came before is forgotten.
				items.reset();
				frames.reset();
				histograms.forEach(histogram -> java.util.Arrays.fill(histogram, 0));
				cpuStart = cpuNanos();
				counting = true;
			}
			else if (line.equals("STOP")) {
				counting = false;
				System.out.println("RESULT " + items.sum() + " " + frames.sum() + " " + percentile(50) + " "
						+ percentile(99) + " " + closed.get() + " " + (cpuNanos() - cpuStart) / 1e9);
				System.out.flush();
			}
			else if (line.equals("EXIT")) {
				break;
			}
		}
		group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
		System.exit(0);
	}

	private static long percentile(double p) {
		long[] histogram = new long[10_000];
		for (long[] one : histograms) {
			for (int ms = 0; ms < histogram.length; ms++) {
				histogram[ms] += one[ms];
			}
		}
		long total = java.util.Arrays.stream(histogram).sum();
		long rank = (long) Math.ceil(total * p / 100.0);
		long seen = 0;
		for (int ms = 0; ms < histogram.length; ms++) {
			seen += histogram[ms];
			if (seen >= rank && rank > 0) {
				return ms;
			}
		}
		return -1;
	}

	private static long cpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private static final class Viewer extends SimpleChannelInboundHandler<TextWebSocketFrame> {

		private final String join;

		private final CountDownLatch joined;

		private final CountDownLatch wave;

		private boolean ready;

		Viewer(String join, CountDownLatch joined, CountDownLatch wave) {
			this.join = join;
			this.joined = joined;
			this.wave = wave;
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
			if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
				Channel channel = ctx.channel();
				channel.writeAndFlush(new TextWebSocketFrame(this.join));
				// A viewer pings like a real client: the gateway closes a connection
				// silent for 60 s.
				channel.eventLoop()
					.scheduleAtFixedRate(() -> channel.writeAndFlush(new TextWebSocketFrame("{\"type\":\"ping\"}")),
							PING_SECONDS, PING_SECONDS, TimeUnit.SECONDS);
				this.wave.countDown();
			}
			super.userEventTriggered(ctx, event);
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
			ByteBuf content = frame.content();
			if (!this.ready) {
				// The join's answer comes first; from then on the viewer is in its room.
				this.ready = true;
				this.joined.countDown();
			}
			if (!counting) {
				return;
			}
			long now = System.currentTimeMillis();
			int length = content.readableBytes();
			byte[][] scratch = SCRATCH.get();
			if (scratch[0].length < length) {
				scratch[0] = new byte[length * 2];
			}
			byte[] bytes = scratch[0];
			content.getBytes(content.readerIndex(), bytes, 0, length);
			long[] histogram = HISTOGRAM.get();
			int n = 0;
			for (int i = 0; i <= length - TS.length; i++) {
				if (bytes[i] == '"' && bytes[i + 1] == 't' && bytes[i + 2] == 's' && bytes[i + 3] == '"'
						&& bytes[i + 4] == ':') {
					long ts = 0;
					int j = i + TS.length;
					for (; j < length && bytes[j] >= '0' && bytes[j] <= '9'; j++) {
						ts = ts * 10 + (bytes[j] - '0');
					}
					n++;
					histogram[(int) Math.max(0, Math.min(histogram.length - 1, now - ts))]++;
					i = j;
				}
			}
			if (n > 0) {
				items.add(n);
				frames.increment();
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			closed.incrementAndGet();
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			if (errors.incrementAndGet() <= 5) {
				System.err.println("[viewers] " + cause);
			}
			ctx.close();
		}

	}

}
