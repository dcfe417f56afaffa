package dev.feedplatform.liveroombridge.gateway;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntConsumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;

/**
 * One Netty event loop's share of a room: the frames are encoded once, headers included,
 * back to back into one direct buffer, and one task on the loop writes a duplicate of it
 * to each of the loop's viewers. Per viewer that is one pipeline write and one
 * {@code write(2)} however many frames go together, with no copy, no encoder and no
 * thread hop (a task per viewer cost a queue offer and often a wake-up each; a write per
 * gift frame and viewer was most of the gateway's CPU in a 1,000-viewer room at 100 gifts
 * a second).
 */
final class NettyLane implements Lane {

	private final EventLoop loop;

	NettyLane(EventLoop loop) {
		this.loop = loop;
	}

	@Override
	public void deliver(List<OutboundFrame> frames, List<Connection> viewers, IntConsumer reached) {
		ByteBuf wire = textFrames(frames);
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
			// the gateway is stopping; its viewers are being closed anyway
			wire.release();
		}
	}

	/**
	 * Unmasked, final WebSocket text frames (RFC 6455 §5.2), as a server sends them, one
	 * after the other.
	 */
	static ByteBuf textFrames(List<OutboundFrame> frames) {
		int size = 0;
		for (OutboundFrame frame : frames) {
			size += frame.utf8().length + 10;
		}
		ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(size);
		for (OutboundFrame frame : frames) {
			textFrame(buf, frame.utf8());
		}
		return buf;
	}

	private static void textFrame(ByteBuf buf, byte[] payload) {
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
		buf.writeBytes(payload);
	}

}
