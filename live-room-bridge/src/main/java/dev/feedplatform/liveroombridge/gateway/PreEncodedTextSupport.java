package dev.feedplatform.liveroombridge.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether {@code org.apache.tomcat.websocket.PreEncodedText} links against the Tomcat on
 * the class path (it reaches package-private internals). Checked once; on a Tomcat whose
 * internals changed, frames are sent with the standard, re-encoding {@code sendText} and
 * a warning says so.
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
		return links("org.apache.tomcat.websocket.WsRemoteEndpointImplBase",
				"org.apache.tomcat.websocket.WsRemoteEndpointBase");
	}

	/**
	 * Whether the internals the shim calls exist with the shapes it was compiled against:
	 * the endpoint implementation's {@code startMessage} and the async endpoint's
	 * {@code base} field. {@code PreEncodedTextSupportTests} runs it against the Tomcat
	 * of this build (a Tomcat upgrade that moves them fails the build, not a viewer) and
	 * against names that don't exist (the fallback).
	 */
	static boolean links(String implBase, String endpointBase) {
		try {
			Class<?> endpoint = Class.forName(implBase);
			endpoint.getDeclaredMethod("startMessage", byte.class, java.nio.ByteBuffer.class, boolean.class,
					jakarta.websocket.SendHandler.class);
			Class.forName(endpointBase).getDeclaredField("base");
			return true;
		}
		catch (ReflectiveOperationException | LinkageError ex) {
			log.warn("pre-encoded WebSocket frames unavailable on this Tomcat, re-encoding per viewer: {}",
					ex.toString());
			return false;
		}
	}

}
