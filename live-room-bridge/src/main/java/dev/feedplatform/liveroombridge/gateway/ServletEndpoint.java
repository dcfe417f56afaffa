package dev.feedplatform.liveroombridge.gateway;

import jakarta.websocket.RemoteEndpoint;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.auth.Viewer;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * {@code /ws} on the application's own port, through Tomcat's WebSocket container: the
 * same protocol as the gateway's Netty port ({@link Gateway}), kept for clients that only
 * know the application's address. Tomcat calls in on its worker threads, one frame of a
 * session at a time.
 */
@Component
class ServletEndpoint extends TextWebSocketHandler {

	private static final Logger log = LoggerFactory.getLogger(ServletEndpoint.class);

	static final String VIEWER = "viewer";

	/** Session attribute holding the handshake's {@code device}, when it named one. */
	static final String DEVICE = "device";

	/** Tomcat's per-session limit for a blocking write (its default is 20 s). */
	static final String BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	/** Session attribute holding the session's {@link ServletConnection}. */
	static final String CONNECTION = "connection";

	private final Gateway gateway;

	private final GatewaySettings settings;

	ServletEndpoint(Gateway gateway, GatewaySettings settings) {
		this.gateway = gateway;
		this.settings = settings;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		Viewer viewer = (Viewer) session.getAttributes().get(VIEWER);
		GatewaySettings settings = this.settings;
		RemoteEndpoint.Async async = null;
		if (session instanceof NativeWebSocketSession nativeSession
				&& nativeSession.getNativeSession() instanceof jakarta.websocket.Session ws) {
			// A write that can't finish this long on a full socket fails, and the viewer
			// is dropped.
			ws.getUserProperties().put(BLOCKING_SEND_TIMEOUT, settings.sendTimeLimit().toMillis());
			// No container send timeout on the non-blocking path: Tomcat tracks every
			// timed write in a
			// shared sorted set, measurably costly at tens of thousands of frames a
			// second.
			// Gateway.dropStuckWriters() enforces the same limit with one timestamp per
			// write.
			async = ws.getAsyncRemote();
		}
		ServletConnection connection = new ServletConnection(session, async, viewer.userId(),
				(String) session.getAttributes().get(DEVICE), settings.framesPerSecond(), settings.burst(),
				settings.sendBufferBytes(), this.gateway::viewerDropped);
		session.getAttributes().put(CONNECTION, connection);
		this.gateway.opened(connection);
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		if (session.getAttributes().get(CONNECTION) instanceof ServletConnection connection) {
			this.gateway.received(connection, message.getPayload());
		}
	}

	/**
	 * Answered with an error frame, like any other bad input (the default would close the
	 * session).
	 */
	@Override
	protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
		if (session.getAttributes().get(CONNECTION) instanceof ServletConnection connection) {
			this.gateway.received(connection, null);
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		if (session.getAttributes().remove(CONNECTION) instanceof ServletConnection connection) {
			this.gateway.closed(connection);
		}
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		log.debug("transport error on {}: {}", session.getId(), exception.toString());
	}

}
