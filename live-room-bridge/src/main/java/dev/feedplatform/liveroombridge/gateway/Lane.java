package dev.feedplatform.liveroombridge.gateway;

import java.util.List;
import java.util.function.IntConsumer;

/**
 * Where a group of connections is written from. A room's frames are handed to each lane
 * once with all of that lane's viewers, so a Netty event loop gets one task per push
 * instead of one per viewer, and writes to its own channels without crossing threads.
 * Several frames pushed together (the gifts of one consumer batch) stay frames of their
 * own but reach a viewer in one write.
 */
interface Lane {

	/**
	 * Writes from the caller's thread: connections whose send only queues (the servlet
	 * container's).
	 */
	Lane CALLER = (frames, viewers, reached) -> {
		int n = 0;
		for (Connection viewer : viewers) {
			boolean took = true;
			for (OutboundFrame frame : frames) {
				took = viewer.send(frame);
				if (!took) {
					break; // dropped for falling behind: the rest would be refused too
				}
			}
			if (took) {
				n++;
			}
		}
		reached.accept(n);
	};

	/**
	 * Queues {@code frames}, in order, to every one of {@code viewers}; reports how many
	 * took them (possibly later, on another thread).
	 */
	void deliver(List<OutboundFrame> frames, List<Connection> viewers, IntConsumer reached);

}
