package dev.feedplatform.runtime.ports;

/**
 * Sends one server frame to every viewer of a room, on every node that has viewers of it
 * (the routing the barrage uses: a Redis channel per node), as a frame of its own, never
 * sampled. At most once per node and id: a node that already pushed a frame with the same
 * {@code eventId} lately (minutes) drops the repeat, so callers that retry after a crash
 * may send again. Owned by the live-room-bridge module.
 */
public interface RoomBroadcast {

	/**
	 * @param roomId the room
	 * @param eventId the frame's identity for de-duplication (a gift id,
	 * {@code "pk_end:<id>"}, ...)
	 * @param frame a JSON object text with a {@code type}, pushed to viewers as it is
	 */
	void send(long roomId, String eventId, String frame);

	/** One frame of {@link #sendAll}: its de-duplication id and its JSON text. */
	record Frame(String eventId, String json) {
	}

	/**
	 * Like {@link #send} for several frames of one room, in one message to each node (a
	 * consumer's batch).
	 */
	void sendAll(long roomId, java.util.List<Frame> frames);

}
