package dev.feedplatform.economy.sale;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.error.Require;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import dev.feedplatform.runtime.ports.LiveRooms;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Goods an anchor sells (seed 001 直播带货): created PENDING, approved by a moderator, put on
 * the shelf of the anchor's own room (their stock is loaded into Redis then), and
 * viewers' carts — a Redis hash per user and room — of goods on that shelf.
 */
@Component
class Goods {

	static final int MAX_STOCK = 1_000_000;

	static final int MAX_NAME = 100;

	/**
	 * A price's ceiling in coins: price × units × lines stays far from a long's overflow.
	 */
	static final long MAX_PRICE = 1_000_000_000L;

	private final SaleMapper sale;

	private final Stock stock;

	private final LiveRooms rooms;

	private final StringRedisTemplate redis;

	private final LeasedIdGenerator ids;

	Goods(SaleMapper sale, Stock stock, LiveRooms rooms, StringRedisTemplate redis, LeasedIdGenerator ids) {
		this.sale = sale;
		this.stock = stock;
		this.rooms = rooms;
		this.redis = redis;
		this.ids = ids;
	}

	Map<String, Object> create(long seller, String name, Long price, Integer stock, Integer perUserLimit) {
		String title = Require.present(name, "name").strip();
		if (title.isEmpty() || title.codePointCount(0, title.length()) > MAX_NAME) {
			throw Problem.badRequest("name must be 1 to " + MAX_NAME + " characters");
		}
		long each = Require.present(price, "price");
		int units = Require.present(stock, "stock");
		int limit = perUserLimit == null ? 1 : perUserLimit;
		if (each < 1 || each > MAX_PRICE) {
			throw Problem.badRequest("price must be between 1 and " + MAX_PRICE + " coins");
		}
		if (units < 0 || units > MAX_STOCK) {
			throw Problem.badRequest("stock must be between 0 and " + MAX_STOCK);
		}
		if (limit < 1 || limit > MAX_STOCK) {
			throw Problem.badRequest("per_user_limit must be between 1 and " + MAX_STOCK);
		}
		long id = this.ids.next();
		this.sale.insertItem(new SaleMapper.Item(id, seller, title, each, units, 0, units, limit, 0));
		return Map.of("id", Long.toString(id), "status", "PENDING");
	}

	void approve(long goods) {
		if (this.sale.approve(goods) == 0) {
			throw Problem.notFound("no goods " + goods);
		}
	}

	/**
	 * The room's owner puts their approved goods on its shelf; their stock is loaded into
	 * Redis.
	 */
	void shelve(long owner, long roomId, long goods) {
		LiveRooms.Room room = this.rooms.find(roomId).orElseThrow(() -> Problem.notFound("no room " + roomId));
		if (room.ownerId() != owner) {
			throw Problem.forbidden("only the room's owner fills its shelf");
		}
		SaleMapper.Item item = this.sale.item(goods);
		if (item == null || item.sellerId() != owner) {
			throw Problem.notFound("no goods " + goods + " of yours");
		}
		if (item.status() != 1) {
			throw Problem.conflict("goods " + goods + " wait for a moderator's approval");
		}
		this.sale.shelve(roomId, goods);
		this.stock.load(goods);
	}

	Map<String, Object> shelf(long roomId) {
		List<Map<String, Object>> items = new ArrayList<>();
		for (SaleMapper.Item item : this.sale.shelf(roomId)) {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("goods_id", Long.toString(item.id()));
			row.put("name", item.name());
			row.put("price", item.price());
			row.put("stock_left", this.stock.left(item.id()).orElse(item.stockLeft()));
			row.put("per_user_limit", item.perUserLimit());
			items.add(row);
		}
		return Map.of("items", items);
	}

	/**
	 * Sets a cart line (0 removes it): goods on the room's shelf, at most the per-user
	 * limit.
	 */
	void putInCart(long user, long roomId, Long goodsId, Integer quantity) {
		long goods = Require.present(goodsId, "goods_id");
		int units = Require.present(quantity, "quantity");
		SaleMapper.Item item = this.sale.item(goods);
		if (item == null || !this.sale.onShelf(roomId, goods)) {
			throw Problem.notFound("goods " + goods + " are not on the shelf of room " + roomId);
		}
		if (units < 0 || units > item.perUserLimit()) {
			throw Problem.badRequest("quantity must be between 0 and " + item.perUserLimit() + " (the per-user limit)");
		}
		String cart = RedisKeys.cart(user, roomId);
		if (units == 0) {
			this.redis.opsForHash().delete(cart, Long.toString(goods));
			return;
		}
		this.redis.opsForHash().put(cart, Long.toString(goods), Integer.toString(units));
		this.redis.expire(cart, java.time.Duration.ofDays(7));
	}

	/** The cart's lines, goods id → units. */
	Map<Long, Integer> cart(long user, long roomId) {
		Map<Long, Integer> lines = new java.util.TreeMap<>();
		this.redis.<String, String>opsForHash()
			.entries(RedisKeys.cart(user, roomId))
			.forEach((goods, units) -> lines.put(Long.parseLong(goods), Integer.parseInt(units)));
		return lines;
	}

	void removeFromCart(long user, long roomId, List<Long> goods) {
		if (!goods.isEmpty()) {
			this.redis.opsForHash()
				.delete(RedisKeys.cart(user, roomId), goods.stream().map(Object::toString).toArray());
		}
	}

}
