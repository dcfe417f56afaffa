package dev.feedplatform.liveroombridge.room;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.paging.Page;
import dev.feedplatform.common.paging.PageRequest;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The open-room list, rebuilt from MariaDB about once a second and served from memory: a
 * list every viewer polls must not cost a query per request. A room this instance opened
 * or closed is reflected at once here; elsewhere within a second.
 */
@Component
class OpenRooms {

	private static final Logger log = LoggerFactory.getLogger(OpenRooms.class);

	private final Rooms rooms;

	private volatile List<RoomView> snapshot = List.of();

	OpenRooms(Rooms rooms) {
		this.rooms = rooms;
	}

	@Scheduled(fixedDelay = 1_000, initialDelay = 0)
	void refresh() {
		try {
			this.snapshot = List.copyOf(this.rooms.allOpen());
		}
		catch (RuntimeException ex) {
			log.warn("open-room refresh failed, serving the previous list: {}", ex.toString());
		}
	}

	Page<RoomView> page(PageRequest request) {
		List<RoomView> items = new ArrayList<>();
		for (RoomView room : this.snapshot) {
			if (Long.parseLong(room.id()) < request.below()) {
				items.add(room);
				if (items.size() > request.size()) {
					break;
				}
			}
		}
		return Page.fromOverfetch(items, request.size(), r -> Long.parseLong(r.id()));
	}

}
