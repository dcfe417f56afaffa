package dev.feedplatform.liveroombridge.gateway;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.auth.Viewer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of a gateway channel: opens the {@link NettyConnection} once the
 * WebSocket handshake completed, hands text frames to it, closes an idle connection, and
 * tells the gateway when the channel is gone, however it went (close frame, reset, drop).
 */
final class NettyFrames extends ChannelInboundHandlerAdapter {

	private static final Logger log = LoggerFactory.getLogger(NettyFrames.class);

	private final NettyGateway server;

	private NettyConnection connection;

	/** A close frame went out: nothing the client sends after it is handled. */
	private boolean closing;

	NettyFrames(NettyGateway server) {
		this.server = server;
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
			Viewer viewer = ctx.channel().attr(NettyHandshake.VIEWER).get();
			this.connection = this.server.open(ctx.channel(), viewer, ctx.channel().attr(NettyHandshake.DEVICE).get());
		}
		else if (event instanceof IdleStateEvent) {
			ctx.close(); // no frame, not even a ping, within the idle timeout
		}
		else {
			super.userEventTriggered(ctx, event);
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		try {
			if (this.connection == null || this.closing) {
				return;
			}
			if (msg instanceof WebSocketFrame frame
					&& frame.content().readableBytes() > GatewayConfiguration.CONTAINER_MAX_FRAME_BYTES) {
				tooLarge(ctx);
			}
			else if (msg instanceof TextWebSocketFrame text) {
				this.connection.received(text.text());
			}
			else if (msg instanceof BinaryWebSocketFrame) {
				// answered with an error frame, in order with the rest
				this.connection.received(null);
			}
		}
		finally {
			ReferenceCountUtil.release(msg);
		}
	}

	/**
	 * 1009, the way Tomcat answers on the application port. The frame was read to its end
	 * (the decoder's own limit is {@link NettyGateway#READ_LIMIT}): closing the socket
	 * straight after a decoder-level violation, with the rest of the frame unread, reset
	 * the connection, and the client often never saw the close frame
	 * (LiveRoomIntegrationTests caught it). The client answers the close frame and the
	 * protocol handler then closes; a client that doesn't is closed after two seconds.
	 */
	private void tooLarge(ChannelHandlerContext ctx) {
		this.closing = true;
		ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG,
				"frame larger than " + GatewayConfiguration.CONTAINER_MAX_FRAME_BYTES + " bytes"));
		ctx.executor().schedule(() -> ctx.close(), 2, TimeUnit.SECONDS);
	}

	@Override
	public void channelWritabilityChanged(ChannelHandlerContext ctx) {
		if (this.connection != null) {
			this.connection.writabilityChanged(ctx.channel().isWritable());
		}
		ctx.fireChannelWritabilityChanged();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		if (this.connection != null) {
			this.server.closed(this.connection);
		}
		ctx.fireChannelInactive();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		log.debug("gateway channel {} failed: {}", ctx.channel().id(), cause.toString());
		ctx.close();
	}

}
