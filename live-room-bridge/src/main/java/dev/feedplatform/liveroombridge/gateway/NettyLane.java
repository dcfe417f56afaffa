package dev.feedplatform.liveroombridge.gateway;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntConsumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;

/**
 * One Netty event loop's share of a room: the frame is encoded once, header included, into a
 * direct buffer, and one task on the loop writes a duplicate of it to each of the loop's viewers.
 * Per viewer that is one pipeline write and one {@code write(2)}, with no copy, no encoder and no
 * thread hop (a task per viewer cost a queue offer and often a wake-up each).
 */
final class NettyLane implements Lane {

	private final EventLoop loop;

	NettyLane(EventLoop loop) {
		this.loop = loop;
	}

	@Override
	public void deliver(OutboundFrame frame, List<Connection> viewers, IntConsumer reached) {
		ByteBuf wire = textFrame(frame.utf8());
		Runnable write = () -> {
			int n = 0;
			try {
				for (Connection viewer : viewers) {
					if (((NettyConnection) viewer).write(wire)) {
						n++;
					}
				}
			}
			finally {
				wire.release();
			}
			reached.accept(n);
		};
		try {
			this.loop.execute(write);
		}
		catch (RejectedExecutionException shuttingDown) {
			wire.release(); // the gateway is stopping; its viewers are being closed anyway
		}
	}

	/** An unmasked, final WebSocket text frame (RFC 6455 §5.2), as a server sends it. */
	static ByteBuf textFrame(byte[] payload) {
		ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(payload.length + 10);
		buf.writeByte(0x81); // FIN, opcode 1 (text)
		if (payload.length < 126) {
			buf.writeByte(payload.length);
		}
		else if (payload.length <= 0xFFFF) {
			buf.writeByte(126);
			buf.writeShort(payload.length);
		}
		else {
			buf.writeByte(127);
			buf.writeLong(payload.length);
		}
		return buf.writeBytes(payload);
	}

}
