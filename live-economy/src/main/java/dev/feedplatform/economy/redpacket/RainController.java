package dev.feedplatform.economy.redpacket;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.id.Ids;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** API.md "Red-packet rain": grant, prepare, start, grab, get. */
@RestController
class RainController {

	record PrepareRequest(Long total, Integer count, @JsonProperty("duration_s") Integer durationS,
			@JsonProperty("per_user") Integer perUser, @JsonProperty("idempotency_key") String idempotencyKey) {
	}

	private final Rains rains;

	RainController(Rains rains) {
		this.rains = rains;
	}

	@PostMapping("/api/moderation/red-packet-grants/{userId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void grant(@PathVariable String userId, Viewer viewer) {
		if (!viewer.moderator()) {
			throw Problem.forbidden("only moderators grant red-packet rains");
		}
		this.rains.grant(Ids.parse(userId, "user id"), viewer.userId());
	}

	@PostMapping("/api/rooms/{id}/red-packet-rains")
	@ResponseStatus(HttpStatus.CREATED)
	Map<String, Object> prepare(@PathVariable String id, @RequestBody PrepareRequest request, Viewer viewer) {
		if (request == null) {
			throw Problem.badRequest("a body {\"total\",\"count\",\"duration_s\",\"idempotency_key\"} is required");
		}
		return this.rains.prepare(viewer.userId(), Ids.parse(id, "room id"), request.total(), request.count(),
				request.durationS(), request.perUser(), request.idempotencyKey());
	}

	@PostMapping("/api/rooms/{id}/red-packet-rains/{rainId}/start")
	Map<String, Object> start(@PathVariable String id, @PathVariable String rainId, Viewer viewer) {
		return this.rains.start(viewer.userId(), Ids.parse(id, "room id"), Ids.parse(rainId, "rain id"));
	}

	@PostMapping("/api/rooms/{id}/red-packet-rains/{rainId}/grab")
	Map<String, Object> grab(@PathVariable String id, @PathVariable String rainId, Viewer viewer) {
		return this.rains.grab(viewer.userId(), Ids.parse(id, "room id"), Ids.parse(rainId, "rain id"));
	}

	@GetMapping("/api/rooms/{id}/red-packet-rains/{rainId}")
	Map<String, Object> find(@PathVariable String id, @PathVariable String rainId, Viewer viewer) {
		return this.rains.find(Ids.parse(id, "room id"), Ids.parse(rainId, "rain id"));
	}

}
