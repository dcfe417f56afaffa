package dev.feedplatform.runtime.ports;

import java.util.Optional;

/**
 * The live rooms other modules act on (gifts, PK, red packets, goods: issues 17 and 18).
 * Owned by the live-room-bridge module (the {@code rooms} table).
 */
public interface LiveRooms {

	/** A room's owner (its anchor) and whether it is open now. */
	record Room(long id, long ownerId, boolean open) {
	}

	/** The room, or empty when there is no such room. */
	Optional<Room> find(long roomId);

}
