package dev.feedplatform.liveroombridge.room;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.id.Ids;
import dev.feedplatform.common.paging.Page;
import dev.feedplatform.common.paging.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /api/rooms}, {@code POST /api/rooms/{id}/close}, {@code GET /api/rooms}.
 */
@RestController
class RoomController {

	record OpenRequest(String title, @JsonProperty("post_id") String postId, Integer pools, Integer rate,
			@JsonProperty("sample_keep") Double sampleKeep) {
	}

	private final Rooms rooms;

	private final OpenRooms open;

	RoomController(Rooms rooms, OpenRooms open) {
		this.rooms = rooms;
		this.open = open;
	}

	@PostMapping("/api/rooms")
	@ResponseStatus(HttpStatus.CREATED)
	RoomView open(@RequestBody OpenRequest request, Viewer viewer) {
		if (request == null) {
			throw dev.feedplatform.common.error.Problem.badRequest("a body {\"title\",\"post_id\"?} is required");
		}
		Long postId = request.postId() == null ? null : Ids.parse(request.postId(), "post_id");
		RoomView room = this.rooms.open(viewer.userId(), request.title(), postId, request.pools(), request.rate(),
				request.sampleKeep());
		this.open.refresh();
		return room;
	}

	@PostMapping("/api/rooms/{id}/close")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void close(@PathVariable String id, Viewer viewer) {
		this.rooms.close(Ids.parse(id, "room id"), viewer.userId());
		this.open.refresh();
	}

	@GetMapping("/api/rooms")
	Page<RoomView> list(@RequestParam(name = "last_id", required = false) String lastId,
			@RequestParam(required = false) String size, Viewer viewer) {
		return this.open.page(PageRequest.of(lastId, size));
	}

}
