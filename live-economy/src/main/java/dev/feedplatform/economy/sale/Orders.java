package dev.feedplatform.economy.sale;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.error.Require;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.economy.EconomySettings;
import dev.feedplatform.economy.RateLimits;
import dev.feedplatform.economy.Times;
import dev.feedplatform.economy.wallet.Account;
import dev.feedplatform.economy.wallet.InsufficientBalance;
import dev.feedplatform.economy.wallet.Leg;
import dev.feedplatform.economy.wallet.Ledger;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.runtime.ports.LiveRooms;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Flash-sale pre-orders (seed 001 直播带货). <b>Place</b>: each cart line is held in Redis by
 * {@link Stock} under the buyer's idempotency key (lines that can't be had are dropped),
 * then the order and its lines are stored HELD with a pay-by time, and an expiry message
 * is delayed to it. <b>Pay</b>: one transaction locks the order, debits the buyer's
 * wallet (guarded), credits the seller's earnings, marks it PAID and counts the units
 * sold. <b>Expire</b>: a guarded HELD → EXPIRED update, so payment and expiry racing end
 * one way only; only the expiry that won gives the stock back, once. Redis is told after
 * the commit ({@code settled}); a crash in between is finished by the sweep, which also
 * expires orders whose message never came and copies Redis's stock to MariaDB every 15 s.
 */
@Component
class Orders {

	private static final Logger log = LoggerFactory.getLogger(Orders.class);

	static final String EXPIRY_TOPIC = "economy-order-expiry";

	static final int HELD = 0, PAID = 1, EXPIRED = 2;

	/**
	 * A hold without an order this long (seen by two sweeps) is an orphan; see
	 * {@link #releaseOrphans}.
	 */
	static final long ORPHAN_AFTER_MS = 10_000;

	private final SaleMapper sale;

	private final Goods goods;

	private final Stock stock;

	private final Ledger ledger;

	private final LiveRooms rooms;

	private final RocketMq rocketMq;

	private final RateLimits limits;

	private final LeasedIdGenerator ids;

	private final TransactionTemplate tx;

	private final EconomySettings settings;

	private final Clock clock;

	/**
	 * Holds seen without an order, by "goods:buyer:key", with when they were first seen
	 * (this node's sweeps).
	 */
	private final Map<String, Long> orphanSuspects = new java.util.concurrent.ConcurrentHashMap<>();

	Orders(SaleMapper sale, Goods goods, Stock stock, Ledger ledger, LiveRooms rooms, RocketMq rocketMq,
			RateLimits limits, LeasedIdGenerator ids, TransactionTemplate tx, EconomySettings settings, Clock clock) {
		this.sale = sale;
		this.goods = goods;
		this.stock = stock;
		this.ledger = ledger;
		this.rooms = rooms;
		this.rocketMq = rocketMq;
		this.limits = limits;
		this.ids = ids;
		this.tx = tx;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Pre-orders the buyer's cart in the room.
	 * @throws Problem 404 no open room, 409 nothing could be held (or an empty cart), 429
	 * clicking too fast
	 */
	Map<String, Object> place(long buyer, long roomId, String idempotencyKey) {
		String key = Require.present(Require.idempotencyKey(idempotencyKey, "idempotency_key"), "idempotency_key");
		SaleMapper.Order earlier = this.sale.byKey(buyer, key);
		if (earlier != null) {
			if (earlier.roomId() != roomId) {
				throw Problem.conflict("idempotency_key was already used for an order in another room");
			}
			List<SaleMapper.Line> lines = this.sale.lines(earlier.id());
			if (earlier.status() == HELD) {
				// the first try may have died before its check
				confirmHolds(earlier.id(), buyer, key, lines, Map.of());
			}
			return view(earlier, lines); // a retry: the same order
		}
		this.limits.admit(RedisKeys.orderRate(buyer), this.settings.orderRate(), Duration.ofSeconds(1),
				"too many pre-orders; at most " + this.settings.orderRate() + " a second");
		LiveRooms.Room room = this.rooms.find(roomId)
			.filter(LiveRooms.Room::open)
			.orElseThrow(() -> Problem.notFound("no open room " + roomId));
		if (room.ownerId() == buyer) {
			throw Problem.badRequest("an anchor can't buy from their own shelf");
		}
		Map<Long, Integer> cart = this.goods.cart(buyer, roomId);
		if (cart.isEmpty()) {
			throw Problem.conflict("your cart in this room is empty");
		}
		long id = this.ids.next();
		List<SaleMapper.Line> lines = new ArrayList<>();
		Map<Long, Stock.Held> holds = new HashMap<>();
		List<Long> dropped = new ArrayList<>();
		long amount = 0;
		SaleMapper.Order order;
		try {
			// One read of the shelf for the whole cart: what is on it now, at its current
			// price.
			Map<Long, SaleMapper.Item> shelf = this.sale.shelf(roomId)
				.stream()
				.collect(Collectors.toMap(SaleMapper.Item::id, item -> item));
			for (Map.Entry<Long, Integer> line : cart.entrySet()) {
				SaleMapper.Item item = shelf.get(line.getKey());
				if (item == null || item.status() != 1 || item.sellerId() != room.ownerId()) {
					dropped.add(line.getKey());
					continue;
				}
				Stock.Held held = this.stock.hold(item.id(), buyer, key, line.getValue());
				if (held.units() == 0) {
					dropped.add(item.id());
					continue;
				}
				holds.put(item.id(), held);
				lines.add(new SaleMapper.Line(id, item.id(), held.units(), item.price()));
				amount = Math.addExact(amount, Math.multiplyExact(item.price(), held.units()));
			}
			if (lines.isEmpty()) {
				throw Problem
					.conflict("nothing in your cart could be had (sold out, or over your limit): goods " + dropped);
			}
			LocalDateTime payBy = Times.stored(this.clock.millis() + this.settings.orderPayWithin().toMillis());
			order = new SaleMapper.Order(id, buyer, roomId, room.ownerId(), amount, HELD, 0, payBy, key,
					String.join(",", dropped.stream().map(Object::toString).toList()));
			SaleMapper.Order stored = order;
			this.tx.executeWithoutResult(status -> {
				this.sale.insertOrder(stored);
				this.sale.insertLines(lines);
			});
		}
		catch (DuplicateKeyException twin) {
			// A racing retry stored the order; its holds are these (same key), so nothing
			// to give back.
			return view(this.sale.byKey(buyer, key));
		}
		catch (RuntimeException failed) {
			// Not stored (a failure part way): the units held so far go back, unless a
			// racing twin
			// with the same key stored its order, whose holds they are.
			if (this.sale.byKey(buyer, key) == null) {
				lines.forEach(line -> this.stock.release(line.goodsId(), buyer, key));
			}
			throw failed;
		}
		confirmHolds(id, buyer, key, lines, holds);
		scheduleExpiry(id, this.settings.orderPayWithin().toMillis());
		this.goods.removeFromCart(buyer, roomId, lines.stream().map(SaleMapper.Line::goodsId).toList());
		return view(order, lines);
	}

	/**
	 * Makes sure the stock holds what a stored HELD order holds before the order is
	 * answered HELD. Redis may have lost the stock and rebuilt it between the holds and
	 * the insert, without this order ({@link Stock#stillHeld}); a retry ({@code taken}
	 * empty) takes each hold again, which gives back the hold it has or takes a lost one
	 * anew. If the units went to someone else meanwhile, or the check fails, the order
	 * ends at once: never answered HELD without its units.
	 */
	private void confirmHolds(long id, long buyer, String key, List<SaleMapper.Line> lines,
			Map<Long, Stock.Held> taken) {
		try {
			for (SaleMapper.Line line : lines) {
				Stock.Held held = taken.get(line.goodsId());
				int units = held == null ? this.stock.hold(line.goodsId(), buyer, key, line.quantity()).units()
						: this.stock.stillHeld(line.goodsId(), buyer, key, held);
				if (units < line.quantity()) {
					throw Problem.conflict("goods " + line.goodsId()
							+ " sold out while your order was placed; nothing is held or charged");
				}
			}
		}
		catch (RuntimeException failed) {
			try {
				if (this.sale.voidHeld(id, Times.stored(this.clock.millis())) == 1) {
					settle(id);
				}
			}
			catch (RuntimeException alsoFailed) {
				log.warn("order {} could not be ended at once ({}); a retry checks it again, the sweep settles it", id,
						alsoFailed.toString());
			}
			throw failed;
		}
	}

	/**
	 * Pays a HELD order from the buyer's coins; paying a paid order answers PAID again.
	 * @throws Problem 404 not the buyer's, 409 short balance, 410 expired (its stock is
	 * released)
	 */
	Map<String, Object> pay(long buyer, long orderId, String idempotencyKey) {
		Require.present(Require.idempotencyKey(idempotencyKey, "idempotency_key"), "idempotency_key");
		String outcome;
		try {
			outcome = this.tx.execute(status -> {
				SaleMapper.Order order = this.sale.lockOrder(orderId);
				if (order == null || order.buyerId() != buyer) {
					throw Problem.notFound("no order " + orderId);
				}
				if (order.status() != HELD) {
					return order.status() == PAID ? "PAID" : "EXPIRED";
				}
				if (!order.payBy().isAfter(Times.stored(this.clock.millis()))) {
					return "LATE"; // expired below, in a transaction of its own
				}
				this.ledger.post(orderId, "ORDER_PAID", "order:" + orderId,
						List.of(Leg.debit(buyer, Account.COINS, order.amount()),
								Leg.credit(order.sellerId(), Account.EARNINGS, order.amount())));
				this.sale.paid(orderId);
				for (SaleMapper.Line line : this.sale.lines(orderId)) {
					if (this.sale.sell(line.goodsId(), line.quantity()) == 0) {
						// Only if Redis held more than MariaDB has (a loss of Redis at
						// the wrong moment).
						throw Problem.conflict("goods " + line.goodsId() + " sold out before this order was paid");
					}
				}
				return "PAID";
			});
		}
		catch (InsufficientBalance short_) {
			throw Problem
				.conflict("insufficient balance: the order costs " + this.sale.order(orderId).amount() + " coins");
		}
		if ("LATE".equals(outcome)) {
			expire(orderId);
			outcome = "EXPIRED";
		}
		if ("EXPIRED".equals(outcome)) {
			throw Problem.gone("the order expired; its goods went back on sale");
		}
		settle(orderId);
		return Map.of("id", Long.toString(orderId), "status", "PAID");
	}

	/**
	 * Schedules the order's expiry 100 ms after it is due, so the timer doesn't find it a
	 * moment early.
	 */
	private void scheduleExpiry(long orderId, long dueInMs) {
		this.rocketMq.sendTimer(EXPIRY_TOPIC, Long.toString(orderId), Long.toString(orderId), dueInMs + 100,
				"order " + orderId + "'s expiry");
	}

	/**
	 * Expires a HELD order whose time is up and gives its stock back, once (early: waits
	 * again).
	 */
	void expire(long orderId) {
		SaleMapper.Order order = this.sale.order(orderId);
		if (order == null || order.status() != HELD) {
			if (order != null && order.settled() == 0) {
				settle(order);
			}
			return;
		}
		long due = Times.epochMs(order.payBy()) - this.clock.millis();
		if (due > 0) {
			scheduleExpiry(orderId, due); // the timer came early
			return;
		}
		if (this.sale.expire(orderId, Times.stored(this.clock.millis())) == 1) {
			settle(orderId);
		}
	}

	/**
	 * Tells Redis how a paid or expired order ended (confirm or release its holds), then
	 * marks it settled. Idempotent.
	 */
	void settle(long orderId) {
		SaleMapper.Order order = this.sale.order(orderId);
		if (order != null) {
			settle(order);
		}
	}

	private void settle(SaleMapper.Order order) {
		if (order.status() == HELD) {
			return;
		}
		for (SaleMapper.Line line : this.sale.lines(order.id())) {
			if (order.status() == PAID) {
				this.stock.confirm(line.goodsId(), order.buyerId(), order.idemKey());
			}
			else {
				this.stock.release(line.goodsId(), order.buyerId(), order.idemKey());
			}
		}
		this.sale.settled(order.id());
	}

	/**
	 * Expires overdue orders, settles what a crash left, reloads stock Redis lost, gives
	 * back holds whose order was never stored, and copies Redis's stock to MariaDB.
	 */
	void sweep() {
		for (long id : this.sale.overdue(Times.stored(this.clock.millis()), 200)) {
			expire(id);
		}
		for (long id : this.sale.unsettled(200)) {
			settle(id);
		}
		Map<String, Long> suspects = new HashMap<>();
		for (long goods : this.sale.shelved()) {
			if (this.stock.left(goods).isEmpty()) {
				// Redis lost it and no click has brought it back yet
				this.stock.load(goods);
			}
			releaseOrphans(goods, suspects);
			this.stock.left(goods).ifPresent(left -> this.sale.syncLeft(goods, left));
		}
		this.orphanSuspects.keySet().retainAll(suspects.keySet());
		suspects.forEach(this.orphanSuspects::putIfAbsent);
	}

	/*
	 * Holds that shouldn't be there. (1) A hold whose order ended and was settled: a
	 * rebuild that read the order while it was HELD brought it back after its release ran
	 * against the missing hash — released (EXPIRED) or dropped (PAID: the units stay
	 * sold). (2) A hold with no order behind it is normal for the moment between the hold
	 * and the order's insert; one still without an order a sweep later (15 s and more: a
	 * request doesn't live that long) was left by a process that died in between, and its
	 * units go back on sale. Released first (with a new load id), then looked up again:
	 * an order stored meanwhile by a stalled request gets its hold back here, or takes it
	 * again itself (it sees the new load id).
	 */
	private void releaseOrphans(long goods, Map<String, Long> suspects) {
		long now = this.clock.millis();
		for (Stock.Hold hold : this.stock.holds(goods)) {
			SaleMapper.Order order = this.sale.byKey(hold.buyer(), hold.key());
			if (order != null) {
				if (order.settled() == 1 && order.status() == EXPIRED) {
					this.stock.release(goods, hold.buyer(), hold.key());
				}
				else if (order.settled() == 1 && order.status() == PAID) {
					this.stock.confirm(goods, hold.buyer(), hold.key());
				}
				continue;
			}
			String id = goods + ":" + hold.buyer() + ":" + hold.key();
			Long since = this.orphanSuspects.get(id);
			if (since == null || now - since < ORPHAN_AFTER_MS) {
				suspects.put(id, since == null ? now : since);
				continue;
			}
			this.stock.releaseOrphan(goods, hold.buyer(), hold.key());
			SaleMapper.Order late = this.sale.byKey(hold.buyer(), hold.key());
			if (late != null && late.status() == HELD) {
				this.stock.hold(goods, hold.buyer(), hold.key(), hold.units());
			}
			else {
				log.info("gave back the hold of buyer {} (key {}) on goods {}: its order was never stored",
						hold.buyer(), hold.key(), goods);
			}
		}
	}

	/** The buyer's order (an overdue HELD one is expired first). */
	Map<String, Object> find(long buyer, long orderId) {
		SaleMapper.Order order = this.sale.order(orderId);
		if (order == null || order.buyerId() != buyer) {
			throw Problem.notFound("no order " + orderId);
		}
		if (order.status() == HELD && !order.payBy().isAfter(Times.stored(this.clock.millis()))) {
			expire(orderId);
			order = this.sale.order(orderId);
		}
		return view(order);
	}

	private Map<String, Object> view(SaleMapper.Order order) {
		return view(order, this.sale.lines(order.id()));
	}

	private static Map<String, Object> view(SaleMapper.Order order, List<SaleMapper.Line> lines) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("id", Long.toString(order.id()));
		view.put("room_id", Long.toString(order.roomId()));
		view.put("status", switch (order.status()) {
			case HELD -> "HELD";
			case PAID -> "PAID";
			default -> "EXPIRED";
		});
		view.put("items",
				lines.stream()
					.sorted(java.util.Comparator.comparingLong(SaleMapper.Line::goodsId))
					.map(line -> Map.<String, Object>of("goods_id", Long.toString(line.goodsId()), "quantity",
							line.quantity(), "price", line.price()))
					.toList());
		view.put("dropped", order.dropped().isEmpty() ? List.of() : Arrays.asList(order.dropped().split(",")));
		view.put("amount", order.amount());
		view.put("pay_by", Times.iso(order.payBy()));
		return view;
	}

}
