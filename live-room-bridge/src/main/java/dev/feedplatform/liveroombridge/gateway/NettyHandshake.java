package dev.feedplatform.liveroombridge.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import dev.feedplatform.common.auth.TokenCodec;
import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.runtime.web.ProblemWriter;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;

/**
 * The gateway port's only HTTP: {@code GET /ws?token=} (or a bearer header), the token
 * verified as the application's filter does before the upgrade; anything else gets a
 * problem-details answer (404 for another path, 401 without a valid token) and the
 * connection is closed. On success the viewer rides on the channel and this handler
 * leaves the pipeline.
 */
final class NettyHandshake extends SimpleChannelInboundHandler<FullHttpRequest> {

	static final AttributeKey<Viewer> VIEWER = AttributeKey.valueOf(NettyHandshake.class, "viewer");

	/** The handshake's {@code &device=}, when it named one. */
	static final AttributeKey<String> DEVICE = AttributeKey.valueOf(NettyHandshake.class, "device");

	private final TokenCodec tokens;

	private final Clock clock;

	NettyHandshake(TokenCodec tokens, Clock clock) {
		// a request that passes goes on to the WebSocket handshake, still retained
		super(false);
		this.tokens = tokens;
		this.clock = clock;
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
		QueryStringDecoder uri = new QueryStringDecoder(request.uri());
		if (!"/ws".equals(uri.path())) {
			reject(ctx, request, HttpResponseStatus.NOT_FOUND, "Not Found",
					"this port serves the WebSocket at /ws only");
			return;
		}
		String token = tokenOf(request, uri);
		if (token == null) {
			reject(ctx, request, HttpResponseStatus.UNAUTHORIZED, "Unauthorized", "missing bearer token");
			return;
		}
		Optional<Viewer> viewer = this.tokens.verify(token, this.clock.instant());
		if (viewer.isEmpty()) {
			reject(ctx, request, HttpResponseStatus.UNAUTHORIZED, "Unauthorized", "invalid or expired token");
			return;
		}
		List<String> device = uri.parameters().get("device");
		String named = device == null || device.isEmpty() ? null : device.get(0);
		if (named != null && !DeviceIds.valid(named)) {
			reject(ctx, request, HttpResponseStatus.BAD_REQUEST, "Bad Request", DeviceIds.RULE);
			return;
		}
		ctx.channel().attr(VIEWER).set(viewer.get());
		ctx.channel().attr(DEVICE).set(named);
		ctx.pipeline().remove(this);
		ctx.fireChannelRead(request);
	}

	private static String tokenOf(FullHttpRequest request, QueryStringDecoder uri) {
		String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
		if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return header.substring(7).trim();
		}
		List<String> token = uri.parameters().get("token");
		return token == null || token.isEmpty() || token.get(0).isBlank() ? null : token.get(0);
	}

	private static void reject(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
			String title, String detail) {
		String path = new QueryStringDecoder(request.uri()).path();
		request.release();
		byte[] body = ProblemWriter.body(status.code(), title, detail, path).getBytes(StandardCharsets.UTF_8);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
				Unpooled.wrappedBuffer(body));
		response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json");
		response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
		response.headers().set(HttpHeaderNames.CONNECTION, "close");
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

}
