package dev.feedplatform.liveroombridge.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether {@code org.apache.tomcat.websocket.PreEncodedText} links against the Tomcat on the class
 * path (it reaches package-private internals). Checked once; on a Tomcat whose internals changed,
 * frames are sent with the standard, re-encoding {@code sendText} and a warning says so.
 */
final class PreEncodedTextSupport {

	private static final Logger log = LoggerFactory.getLogger(PreEncodedTextSupport.class);

	private static final boolean AVAILABLE = probe();

	private PreEncodedTextSupport() {
	}

	static boolean available() {
		return AVAILABLE;
	}

	private static boolean probe() {
		try {
			Class<?> endpoint = Class.forName("org.apache.tomcat.websocket.WsRemoteEndpointImplBase");
			endpoint.getDeclaredMethod("startMessage", byte.class, java.nio.ByteBuffer.class, boolean.class,
					jakarta.websocket.SendHandler.class);
			Class.forName("org.apache.tomcat.websocket.WsRemoteEndpointBase").getDeclaredField("base");
			return true;
		}
		catch (ReflectiveOperationException | LinkageError ex) {
			log.warn("pre-encoded WebSocket frames unavailable on this Tomcat, re-encoding per viewer: {}", ex.toString());
			return false;
		}
	}

}
