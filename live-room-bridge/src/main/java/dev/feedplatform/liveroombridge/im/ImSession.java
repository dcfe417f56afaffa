package dev.feedplatform.liveroombridge.im;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One connection's IM state on this node: its device, its ordered stream per conversation
 * ({@link DeviceStream}), and when it last showed a sign of life.
 */
final class ImSession {

	private final ImLink link;

	private final Map<String, DeviceStream> streams = new ConcurrentHashMap<>();

	private volatile long lastActive = System.currentTimeMillis();

	private volatile boolean closed;

	ImSession(ImLink link) {
		this.link = link;
	}

	ImLink link() {
		return this.link;
	}

	long userId() {
		return this.link.userId();
	}

	String device() {
		return this.link.device();
	}

	/** The conversation's stream, created from {@code create} (which may read the database) when this connection has none. */
	DeviceStream stream(String conversation, Supplier<DeviceStream> create) {
		DeviceStream stream = this.streams.get(conversation);
		if (stream != null) {
			return stream;
		}
		DeviceStream made = create.get();
		DeviceStream raced = this.streams.putIfAbsent(conversation, made);
		return raced != null ? raced : made;
	}

	DeviceStream existing(String conversation) {
		return this.streams.get(conversation);
	}

	Collection<DeviceStream> streams() {
		return this.streams.values();
	}

	void touch() {
		this.lastActive = System.currentTimeMillis();
	}

	long lastActive() {
		return this.lastActive;
	}

	boolean closed() {
		return this.closed;
	}

	void close() {
		this.closed = true;
	}

}
