package org.apache.tomcat.websocket;

import java.nio.ByteBuffer;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;

/**
 * Sends a text frame whose UTF-8 bytes were encoded once for all its receivers. The
 * standard {@code sendText(String)} re-encodes the frame for every session, character by
 * character through a {@code StringCharBuffer} (a quarter of the gateway's CPU for a
 * 1,000-viewer room, measured with async-profiler). Tomcat has no public call for
 * pre-encoded text, so this class sits in Tomcat's package to reach {@code startMessage},
 * the call its own binary send ends in.
 *
 * <p>
 * It skips Tomcat's API state machine (which only guards against a caller interleaving
 * messages); the gateway never does: each connection writes one frame at a time from its
 * outbox. Tied to Tomcat 11's internals: {@link #supports} is checked once per
 * connection, and any failure to link makes the gateway fall back to {@code sendText}.
 */
public final class PreEncodedText {

	private PreEncodedText() {
	}

	public static boolean supports(RemoteEndpoint.Async async) {
		return async instanceof WsRemoteEndpointAsync;
	}

	/**
	 * Writes {@code utf8} (a duplicate per receiver; the payload is not modified) as one
	 * text frame.
	 */
	public static void send(RemoteEndpoint.Async async, ByteBuffer utf8, SendHandler handler) {
		((WsRemoteEndpointAsync) async).base.startMessage(Constants.OPCODE_TEXT, utf8, true, handler);
	}

}
