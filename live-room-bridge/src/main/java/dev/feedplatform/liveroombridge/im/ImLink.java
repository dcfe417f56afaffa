package dev.feedplatform.liveroombridge.im;

/**
 * One WebSocket connection as IM sees it, whatever server carries it (the gateway
 * implements it). {@link #send(String)} only queues and never blocks; a connection too
 * far behind is dropped by the gateway and then reported closed.
 */
public interface ImLink {

	/** Unique on this node. */
	String id();

	long userId();

	/** The handshake's {@code device}, or a generated id unique to this connection. */
	String device();

	/**
	 * Whether the client named its device (only then is its position kept across
	 * connections).
	 */
	boolean namedDevice();

	/** Queues one server → client text frame. */
	void send(String frame);

	/**
	 * Whether the connection's way out has room for more (under half its bound): catch-up
	 * and retries wait for this instead of filling the buffer, which would drop the
	 * connection.
	 */
	boolean roomToSend();

}
