package dev.feedplatform.liveroombridge.gateway;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * Where a group of connections is written from. A room's frame is handed to each lane once with
 * all of that lane's viewers, so a Netty event loop gets one task per frame instead of one per
 * viewer, and writes to its own channels without crossing threads.
 */
interface Lane {

	/** Writes from the caller's thread: connections whose send only queues (the servlet container's). */
	Lane CALLER = (frame, viewers, reached) -> {
		int n = 0;
		for (Connection viewer : viewers) {
			if (viewer.send(frame)) {
				n++;
			}
		}
		reached.accept(n);
	};

	/** Queues {@code frame} to every one of {@code viewers}; reports how many took it (possibly later, on another thread). */
	void deliver(OutboundFrame frame, List<Connection> viewers, IntConsumer reached);

}
