package dev.feedplatform.liveroombridge.gateway;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.auth.TokenCodec;
import dev.feedplatform.common.auth.Viewer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.stereotype.Component;

/**
 * The gateway's own WebSocket server on {@code feed.gateway.port} ({@code /ws?token=},
 * the same protocol as {@code /ws} on the application port): Netty on epoll, one event
 * loop per core, no thread per connection, and a room's frame encoded once and written by
 * each event loop to its own viewers ({@link NettyLane}). Chosen for 10,000+ viewers on
 * two cores: Tomcat's WebSocket write path (a semaphore, a header, a completion per frame
 * and viewer) capped a 1,000-viewer room at about 175 K delivered items per CPU-second.
 * Off when the port is negative.
 */
@Component
class NettyGateway implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(NettyGateway.class);

	/** The environment property holding the bound port once the gateway runs. */
	static final String LOCAL_PORT = "local.gateway.port";

	/**
	 * Frames up to this size are read whole, so that one over the gateway's limit
	 * ({@code GatewayConfiguration.CONTAINER_MAX_FRAME_BYTES}) is answered with a clean
	 * 1009 close ({@link NettyFrames}); larger ones are cut off by the decoder.
	 */
	static final int READ_LIMIT = 128 * 1024;

	private final Gateway gateway;

	private final GatewaySettings settings;

	private final TokenCodec tokens;

	private final Clock clock;

	private final Map<EventLoop, NettyLane> lanes = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong();

	private volatile EventLoopGroup loops;

	private volatile Channel server;

	private final ConfigurableEnvironment environment;

	NettyGateway(Gateway gateway, GatewaySettings settings, TokenCodec tokens, Clock clock,
			ConfigurableEnvironment environment) {
		this.gateway = gateway;
		this.environment = environment;
		this.settings = settings;
		this.tokens = tokens;
		this.clock = clock;
	}

	@Override
	public synchronized void start() {
		if (this.settings.port() < 0 || this.server != null) {
			return;
		}
		boolean epoll = Epoll.isAvailable();
		IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
		Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
		int threads = this.settings.eventLoops() > 0 ? this.settings.eventLoops()
				: Runtime.getRuntime().availableProcessors();
		this.loops = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("gateway-io", true), io);
		int high = this.settings.sendBufferBytes();
		ServerBootstrap bootstrap = new ServerBootstrap().group(this.loops)
			.channel(type)
			.option(ChannelOption.SO_BACKLOG, 4096)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high))
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					pipeline(channel);
				}
			});
		if (this.settings.socketSendBuffer() > 0) {
			bootstrap.childOption(ChannelOption.SO_SNDBUF, this.settings.socketSendBuffer());
		}
		try {
			this.server = bootstrap.bind(new InetSocketAddress(this.settings.bindAddress(), this.settings.port()))
				.sync()
				.channel();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while binding the gateway port", ex);
		}
		// Like local.server.port: how tests and tools find a port the system chose.
		this.environment.getPropertySources().addFirst(new MapPropertySource("gateway", Map.of(LOCAL_PORT, port())));
		log.info("WebSocket gateway on {}:{}/ws ({}, {} event loops)", this.settings.bindAddress(), port(),
				epoll ? "epoll" : "nio", threads);
	}

	private void pipeline(SocketChannel channel) {
		int maxFrame = READ_LIMIT;
		channel.pipeline()
			// First in line, so every read counts as activity: WebSocket protocol pings
			// (answered by
			// the protocol handler and never passed on) keep a connection alive as on /ws
			// (issue 15).
			.addLast(new IdleStateHandler(this.settings.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS))
			.addLast(new HttpServerCodec(4096, 8192, 8192))
			.addLast(new HttpObjectAggregator(8192))
			.addLast(new NettyHandshake(this.tokens, this.clock))
			.addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
				.websocketPath("/ws")
				.checkStartsWith(true) // "/ws?token=..."
				.handshakeTimeoutMillis(10_000)
				.dropPongFrames(true)
				.decoderConfig(WebSocketDecoderConfig.newBuilder()
					.maxFramePayloadLength(maxFrame)
					.allowExtensions(false)
					.build())
				.build()))
			.addLast(new WebSocketFrameAggregator(maxFrame))
			.addLast(new NettyFrames(this));
	}

	NettyConnection open(Channel channel, Viewer viewer, String device) {
		NettyLane lane = this.lanes.computeIfAbsent(channel.eventLoop(), NettyLane::new);
		NettyConnection connection = new NettyConnection("n" + this.ids.incrementAndGet(), channel, lane,
				viewer.userId(), device, this.settings, this.gateway::viewerDropped, this.gateway::received);
		this.gateway.opened(connection);
		return connection;
	}

	void closed(NettyConnection connection) {
		// Leaving rooms and presence talks to Redis: not on the event loop. At shutdown
		// Redis may be
		// gone first; what is left behind ages out (presence TTL, the node's liveness
		// key).
		Thread.startVirtualThread(() -> {
			try {
				this.gateway.closed(connection);
			}
			catch (RuntimeException ex) {
				log.debug("could not record that {} left: {}", connection.id(), ex.toString());
			}
		});
	}

	/**
	 * The bound port (the configured one, or the one the system chose for port 0); -1
	 * when off.
	 */
	int port() {
		Channel bound = this.server;
		return bound == null ? -1 : ((InetSocketAddress) bound.localAddress()).getPort();
	}

	@Override
	public synchronized void stop() {
		if (this.server != null) {
			this.server.close().syncUninterruptibly();
			this.server = null;
			this.loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
			this.loops = null;
			this.lanes.clear();
		}
	}

	@Override
	public boolean isRunning() {
		return this.server != null;
	}

	/**
	 * Not stopped while a test context sits paused in the cache: its port stays the same.
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

}
