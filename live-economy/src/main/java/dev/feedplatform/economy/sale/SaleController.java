package dev.feedplatform.economy.sale;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.id.Ids;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * API.md "Live-commerce (flash sale)": goods, approval, shelf, cart, pre-orders, payment.
 */
@RestController
class SaleController {

	record GoodsRequest(String name, Long price, Integer stock, @JsonProperty("per_user_limit") Integer perUserLimit) {
	}

	record ShelfRequest(@JsonProperty("goods_id") String goodsId) {
	}

	record CartRequest(@JsonProperty("goods_id") String goodsId, Integer quantity) {
	}

	record KeyRequest(@JsonProperty("idempotency_key") String idempotencyKey) {
	}

	private final Goods goods;

	private final Orders orders;

	SaleController(Goods goods, Orders orders) {
		this.goods = goods;
		this.orders = orders;
	}

	@PostMapping("/api/goods")
	@ResponseStatus(HttpStatus.CREATED)
	Map<String, Object> create(@RequestBody GoodsRequest request, Viewer viewer) {
		GoodsRequest body = required(request);
		return this.goods.create(viewer.userId(), body.name(), body.price(), body.stock(), body.perUserLimit());
	}

	@PostMapping("/api/moderation/goods/{id}/approve")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void approve(@PathVariable String id, Viewer viewer) {
		if (!viewer.moderator()) {
			throw Problem.forbidden("only moderators approve goods");
		}
		this.goods.approve(Ids.parse(id, "goods id"));
	}

	@PostMapping("/api/rooms/{id}/shelf")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void shelve(@PathVariable String id, @RequestBody ShelfRequest request, Viewer viewer) {
		this.goods.shelve(viewer.userId(), Ids.parse(id, "room id"),
				Ids.parse(required(request).goodsId(), "goods_id"));
	}

	@GetMapping("/api/rooms/{id}/shelf")
	Map<String, Object> shelf(@PathVariable String id, Viewer viewer) {
		return this.goods.shelf(Ids.parse(id, "room id"));
	}

	@PutMapping("/api/rooms/{id}/cart")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void putInCart(@PathVariable String id, @RequestBody CartRequest request, Viewer viewer) {
		CartRequest body = required(request);
		this.goods.putInCart(viewer.userId(), Ids.parse(id, "room id"),
				body.goodsId() == null ? null : Ids.parse(body.goodsId(), "goods_id"), body.quantity());
	}

	@GetMapping("/api/rooms/{id}/cart")
	Map<String, Object> cart(@PathVariable String id, Viewer viewer) {
		return Map.of("items", this.goods.cart(viewer.userId(), Ids.parse(id, "room id"))
			.entrySet()
			.stream()
			.map(line -> Map.<String, Object>of("goods_id", Long.toString(line.getKey()), "quantity", line.getValue()))
			.toList());
	}

	@PostMapping("/api/rooms/{id}/orders")
	@ResponseStatus(HttpStatus.CREATED)
	Map<String, Object> place(@PathVariable String id, @RequestBody KeyRequest request, Viewer viewer) {
		return this.orders.place(viewer.userId(), Ids.parse(id, "room id"), required(request).idempotencyKey());
	}

	@PostMapping("/api/orders/{id}/pay")
	Map<String, Object> pay(@PathVariable String id, @RequestBody KeyRequest request, Viewer viewer) {
		return this.orders.pay(viewer.userId(), Ids.parse(id, "order id"), required(request).idempotencyKey());
	}

	@GetMapping("/api/orders/{id}")
	Map<String, Object> find(@PathVariable String id, Viewer viewer) {
		return this.orders.find(viewer.userId(), Ids.parse(id, "order id"));
	}

	private static <T> T required(T body) {
		if (body == null) {
			throw Problem.badRequest("a JSON body is required");
		}
		return body;
	}

}
