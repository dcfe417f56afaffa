package dev.feedplatform.economy.pk;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.error.Problem;
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

/**
 * {@code POST /api/pk}, {@code POST /api/pk/{id}/accept}, {@code GET /api/pk/{id}},
 * {@code GET /api/pk?status=} (API.md "Gifts and PK").
 */
@RestController
class PkController {

	record RoomRequest(@JsonProperty("room_id") String roomId) {
	}

	private final Pks pks;

	PkController(Pks pks) {
		this.pks = pks;
	}

	@PostMapping("/api/pk")
	@ResponseStatus(HttpStatus.CREATED)
	Map<String, Object> invite(@RequestBody RoomRequest request, Viewer viewer) {
		return this.pks.invite(viewer.userId(), room(request));
	}

	@PostMapping("/api/pk/{id}/accept")
	Map<String, Object> accept(@PathVariable String id, @RequestBody RoomRequest request, Viewer viewer) {
		return this.pks.accept(viewer.userId(), Ids.parse(id, "PK id"), room(request));
	}

	@GetMapping("/api/pk/{id}")
	Map<String, Object> find(@PathVariable String id, Viewer viewer) {
		return this.pks.find(Ids.parse(id, "PK id"));
	}

	@GetMapping("/api/pk")
	Page<Map<String, Object>> list(@RequestParam(required = false) String status,
			@RequestParam(name = "last_id", required = false) String lastId,
			@RequestParam(required = false) String size, Viewer viewer) {
		return this.pks.list(status, PageRequest.of(lastId, size));
	}

	private static long room(RoomRequest request) {
		if (request == null || request.roomId() == null) {
			throw Problem.badRequest("a body {\"room_id\"} is required");
		}
		return Ids.parse(request.roomId(), "room_id");
	}

}
