package dev.feedplatform.economy.gift;

import java.util.List;
import java.util.Map;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.id.Ids;
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
 * {@code GET /api/gifts}, {@code POST /api/rooms/{id}/gifts}, {@code GET
 * /api/rooms/{id}/gifts/top} (API.md "Gifts and PK").
 */
@RestController
class GiftController {

	record GiftRequest(@JsonProperty("gift_id") Integer giftId, Integer count, String to,
			@JsonProperty("idempotency_key") String idempotencyKey) {
	}

	record KindView(String id, String name, long price, String effect) {
	}

	private final Gifting gifting;

	private final GiftCatalogue catalogue;

	private final GiftBoard board;

	GiftController(Gifting gifting, GiftCatalogue catalogue, GiftBoard board) {
		this.gifting = gifting;
		this.catalogue = catalogue;
		this.board = board;
	}

	@GetMapping("/api/gifts")
	Map<String, List<KindView>> catalogue(Viewer viewer) {
		return Map.of("items",
				this.catalogue.all()
					.stream()
					.map(k -> new KindView(Integer.toString(k.id()), k.name(), k.price(), k.effect()))
					.toList());
	}

	@PostMapping("/api/rooms/{id}/gifts")
	@ResponseStatus(HttpStatus.CREATED)
	Gifting.Sent send(@PathVariable String id, @RequestBody GiftRequest request, Viewer viewer) {
		if (request == null) {
			throw Problem.badRequest("a body {\"gift_id\",\"count\",\"to\"?,\"idempotency_key\"} is required");
		}
		Long to = request.to() == null ? null : Ids.parse(request.to(), "to");
		return this.gifting.send(viewer.userId(), Ids.parse(id, "room id"), request.giftId(), request.count(), to,
				request.idempotencyKey());
	}

	@GetMapping("/api/rooms/{id}/gifts/top")
	Map<String, List<GiftBoard.Top>> top(@PathVariable String id, @RequestParam(required = false) String size,
			Viewer viewer) {
		return Map.of("items", this.board.top(Ids.parse(id, "room id"), PageRequest.of(null, size).size()));
	}

}
