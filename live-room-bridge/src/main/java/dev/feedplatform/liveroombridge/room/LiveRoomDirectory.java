package dev.feedplatform.liveroombridge.room;

import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.feedplatform.runtime.ports.LiveRooms;
import org.springframework.stereotype.Component;

/**
 * {@link LiveRooms} for the economy module: a room's owner never changes, so it is
 * cached; whether it is open comes from {@link Rooms#isOpen} (at most two seconds old,
 * closed at once on this node).
 */
@Component
class LiveRoomDirectory implements LiveRooms {

	private final Rooms rooms;

	private final Cache<Long, Long> owners = Caffeine.newBuilder().maximumSize(100_000).build();

	LiveRoomDirectory(Rooms rooms) {
		this.rooms = rooms;
	}

	@Override
	public Optional<Room> find(long roomId) {
		Long owner = this.owners.getIfPresent(roomId);
		if (owner == null) {
			Optional<RoomView> row = this.rooms.find(roomId);
			if (row.isEmpty()) {
				return Optional.empty();
			}
			owner = Long.parseLong(row.get().ownerId());
			this.owners.put(roomId, owner);
		}
		return Optional.of(new Room(roomId, owner, this.rooms.isOpen(roomId)));
	}

}
