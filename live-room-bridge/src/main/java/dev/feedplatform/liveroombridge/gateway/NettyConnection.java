package dev.feedplatform.liveroombridge.gateway;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * A viewer on the gateway's Netty server. The way out is the channel's own outbound
 * buffer, bounded by its high water mark ({@code send-buffer-bytes}): a frame for a
 * viewer whose buffer is over the mark drops the viewer, and so does a buffer that stays
 * over it past the send time limit.
 *
 * <p>
 * The way in: frames are handled one at a time, in order, on a virtual thread (handling
 * may block on Redis or the broker; the event loop must not). While {@link #PAUSE_AT}
 * frames wait, the channel stops reading, so a client that floods is held back by TCP,
 * not by memory.
 */
final class NettyConnection extends Connection {

	static final int PAUSE_AT = 32;

	/**
	 * Stands for a binary frame in the inbox (compared by identity): answered with an
	 * error, in order.
	 */
	@SuppressWarnings("StringOperationCanBeSimplified")
	private static final String BINARY = new String("binary");

	private final Channel channel;

	private final NettyLane lane;

	private final Runnable onDrop;

	private final BiConsumer<Connection, String> handler;

	private final AtomicBoolean dropped = new AtomicBoolean();

	/** Time for a refused client to read its error frame before the close. */
	static final long REFUSE_DELAY_MS = 200;

	/**
	 * Since when the outbound buffer is over its high water mark, 0 while under it
	 * (System.nanoTime()).
	 */
	private volatile long unwritableSince;

	private final SerialQueue<String> inbox = new SerialQueue<>();

	private final AtomicInteger waiting = new AtomicInteger();

	NettyConnection(String id, Channel channel, NettyLane lane, long userId, String device, GatewaySettings settings,
			Runnable onDrop, BiConsumer<Connection, String> handler) {
		super(id, userId, device, settings.framesPerSecond(), settings.burst());
		this.channel = channel;
		this.lane = lane;
		this.onDrop = onDrop;
		this.handler = handler;
	}

	@Override
	Lane lane() {
		return this.lane;
	}

	@Override
	boolean send(OutboundFrame frame) {
		if (!admitWrite()) {
			return false;
		}
		this.channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame.utf8())),
				this.channel.voidPromise());
		return true;
	}

	/**
	 * On the channel's event loop: writes a duplicate of a frame encoded once for the
	 * whole room.
	 */
	boolean write(ByteBuf wireFrame) {
		if (!admitWrite()) {
			return false;
		}
		this.channel.writeAndFlush(wireFrame.retainedDuplicate(), this.channel.voidPromise());
		return true;
	}

	private boolean admitWrite() {
		if (this.dropped.get()) {
			return false;
		}
		if (!this.channel.isWritable()) {
			drop();
			return false;
		}
		return true;
	}

	@Override
	public boolean roomToSend() {
		// Under the low water mark: half the send buffer free at least.
		return this.channel.isWritable()
				&& this.channel.bytesBeforeUnwritable() > this.channel.config().getWriteBufferHighWaterMark() / 2;
	}

	void writabilityChanged(boolean writable) {
		this.unwritableSince = writable ? 0 : System.nanoTime() | 1;
	}

	@Override
	void dropIfStuck(long nowNanos, long limitNanos) {
		long since = this.unwritableSince;
		if (since != 0 && nowNanos - since > limitNanos) {
			drop();
		}
	}

	@Override
	void refuse() {
		this.channel.eventLoop().schedule(() -> {
			this.channel.writeAndFlush(new io.netty.handler.codec.http.websocketx.CloseWebSocketFrame(1008, "refused"))
				.addListener(io.netty.channel.ChannelFutureListener.CLOSE);
		}, REFUSE_DELAY_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
	}

	private void drop() {
		if (this.dropped.compareAndSet(false, true)) {
			this.onDrop.run();
			// frames still queued for it are discarded with the channel
			this.channel.close();
		}
	}

	/** On the event loop: a text frame from the client, or null for a binary one. */
	void received(String text) {
		if (this.waiting.incrementAndGet() >= PAUSE_AT) {
			this.channel.config().setAutoRead(false);
		}
		if (this.inbox.add(text == null ? BINARY : text)) {
			Thread.startVirtualThread(this::handle);
		}
	}

	private void handle() {
		String next;
		while ((next = this.inbox.next()) != null) {
			this.waiting.decrementAndGet();
			this.handler.accept(this, next == BINARY ? null : next);
		}
		if (!this.channel.config().isAutoRead()) {
			this.channel.config().setAutoRead(true);
		}
	}

}
