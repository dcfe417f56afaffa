package dev.feedplatform.economy.sale;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.keys.RedisKeys;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A flash-sale item's stock in Redis, one hash per item (seed 001 直播带货: stock loaded into
 * Redis when the room opens): {@code left}, {@code limit}, each hold
 * ({@code hold:<buyer>:<key>} → units) and each buyer's units held or bought
 * ({@code buyer:<id>}). A hold decrements {@code left} only if {@code left >= units} and
 * the buyer stays within the limit, and records itself, so a repeated click holds nothing
 * twice (springboot-seckill #35; the {@code >=} is spikeSystem #14's oversell); a release
 * or a confirmation removes the hold once. When Redis lost the hash it is rebuilt from
 * MariaDB — stock − sold − what HELD orders hold, read in one snapshot — under a Redisson
 * lock; each load has an id, so an order stored after a rebuild's read takes its hold
 * again ({@link #stillHeld}) instead of leaving its units on sale twice. Redis is the
 * fast gate; MariaDB's guarded {@code sold} is the last word (a payment that would sell
 * more than the stock is refused), so a Redis loss can never sell what isn't there.
 */
@Component
class Stock {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Stock.class);

	/**
	 * KEYS stock; ARGV hold field, buyer field, units. Answers {-2} not loaded, else
	 * {units held, the load's id}: 0 units can't be had; a retry gets its hold.
	 */
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> HOLD = RedisScript.of("""
			local load = redis.call('HGET', KEYS[1], 'loaded')
			if not load then return {-2} end
			local held = redis.call('HGET', KEYS[1], ARGV[1])
			if held then return {tonumber(held), load} end
			local units = tonumber(ARGV[3])
			local left = tonumber(redis.call('HGET', KEYS[1], 'left'))
			local mine = tonumber(redis.call('HGET', KEYS[1], ARGV[2]) or '0')
			if left < units or mine + units > tonumber(redis.call('HGET', KEYS[1], 'limit')) then return {0, load} end
			redis.call('HINCRBY', KEYS[1], 'left', -units)
			redis.call('HINCRBY', KEYS[1], ARGV[2], units)
			redis.call('HSET', KEYS[1], ARGV[1], units)
			return {units, load}
			""", List.class);

	/**
	 * KEYS stock; ARGV hold field, buyer field[, a new load id]. Gives a hold's units
	 * back once; answers them (0: nothing held). With a new load id, orders being placed
	 * check their holds again.
	 */
	private static final RedisScript<Long> RELEASE = RedisScript.of("""
			local held = redis.call('HGET', KEYS[1], ARGV[1])
			if not held then return 0 end
			redis.call('HDEL', KEYS[1], ARGV[1])
			redis.call('HINCRBY', KEYS[1], 'left', held)
			redis.call('HINCRBY', KEYS[1], ARGV[2], -tonumber(held))
			if ARGV[3] then redis.call('HSET', KEYS[1], 'loaded', ARGV[3]) end
			return tonumber(held)
			""", Long.class);

	/**
	 * KEYS stock; ARGV the load's id, left, limit, then field/value pairs (holds,
	 * buyers). Loads once; 1 when it did.
	 */
	private static final RedisScript<Long> LOAD = RedisScript.of("""
			if redis.call('HSETNX', KEYS[1], 'loaded', ARGV[1]) == 0 then return 0 end
			redis.call('HSET', KEYS[1], 'left', ARGV[2], 'limit', ARGV[3])
			for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
			return 1
			""", Long.class);

	private final StringRedisTemplate redis;

	private final SaleMapper sale;

	private final RedissonClient redisson;

	private final TransactionTemplate snapshot;

	Stock(StringRedisTemplate redis, SaleMapper sale, RedissonClient redisson, TransactionTemplate tx) {
		this.redis = redis;
		this.sale = sale;
		this.redisson = redisson;
		this.snapshot = new TransactionTemplate(tx.getTransactionManager());
		this.snapshot.setReadOnly(true);
	}

	/**
	 * What MariaDB says of an item at one instant: a payment committing meanwhile is in
	 * all three reads or in none.
	 */
	private record Snapshot(SaleMapper.Item item, List<SaleMapper.Hold> holds, List<SaleMapper.Bought> bought) {
	}

	static String holdField(long buyer, String key) {
		return "hold:" + buyer + ":" + key;
	}

	static String buyerField(long buyer) {
		return "buyer:" + buyer;
	}

	/**
	 * Units held for an order, and which load of the item's stock hash they were taken
	 * in.
	 */
	record Held(int units, String load) {
	}

	/**
	 * Holds {@code units} of the item for the buyer's order {@code key} (a retry gets its
	 * hold); 0 units when they can't be had.
	 */
	Held hold(long goods, long buyer, String key, int units) {
		// Redis may lose the hash again between a load and the hold (it is being
		// restarted): a few tries, then 503.
		for (int attempt = 0; attempt < 5; attempt++) {
			List<?> held = this.redis.execute(HOLD, List.of(RedisKeys.goodsStock(goods)), holdField(buyer, key),
					buyerField(buyer), Integer.toString(units));
			if (held != null && held.size() == 2) {
				return new Held(((Number) held.get(0)).intValue(), held.get(1).toString());
			}
			load(goods);
		}
		throw Problem.unavailable("the stock of goods " + goods + " is being restored; try again");
	}

	/**
	 * Called once the hold's order is stored: whether the stock hash still counts the
	 * hold. A hash rebuilt after Redis lost it counts the HELD orders MariaDB had then;
	 * an order stored after that read isn't among them, and its units would be on sale
	 * again. So when the hash is not the load the hold was taken in, the hold is taken
	 * again (a no-op when the rebuild counted it).
	 * @return the units the stock now holds for the order: {@code held.units()}, or 0
	 * when another buyer got them meanwhile
	 */
	int stillHeld(long goods, long buyer, String key, Held held) {
		if (held.load().equals(this.redis.opsForHash().get(RedisKeys.goodsStock(goods), "loaded"))) {
			return held.units();
		}
		int units = hold(goods, buyer, key, held.units()).units();
		log.info(
				"goods {}: the stock was rebuilt while buyer {}'s order {} was stored; its hold taken again: {} of {} units",
				goods, buyer, key, units, held.units());
		return units;
	}

	/** Gives the hold back (an order expired). Idempotent. */
	void release(long goods, long buyer, String key) {
		this.redis.execute(RELEASE, List.of(RedisKeys.goodsStock(goods)), holdField(buyer, key), buyerField(buyer));
	}

	/**
	 * Gives back a hold whose order was never stored (its process died between the hold
	 * and the insert). The hash gets a new load id, so should the order be stored after
	 * all (a request stalled, not dead), {@link #stillHeld} takes its hold again rather
	 * than trusting a released one.
	 */
	void releaseOrphan(long goods, long buyer, String key) {
		this.redis.execute(RELEASE, List.of(RedisKeys.goodsStock(goods)), holdField(buyer, key), buyerField(buyer),
				newLoadId());
	}

	/** A hold in the stock hash: the buyer, the order's idempotency key, the units. */
	record Hold(long buyer, String key, int units) {
	}

	/** The holds in the item's stock hash. */
	List<Hold> holds(long goods) {
		List<Hold> holds = new ArrayList<>();
		try (Cursor<Map.Entry<Object, Object>> fields = this.redis.opsForHash()
			.scan(RedisKeys.goodsStock(goods), ScanOptions.scanOptions().match("hold:*").count(1_000).build())) {
			fields.forEachRemaining(field -> {
				String[] parts = field.getKey().toString().split(":", 3);
				holds.add(new Hold(Long.parseLong(parts[1]), parts[2], Integer.parseInt(field.getValue().toString())));
			});
		}
		return holds;
	}

	private static String newLoadId() {
		return Long.toHexString(ThreadLocalRandom.current().nextLong());
	}

	/**
	 * The hold became a sale (an order paid): the units stay taken, the hold record goes.
	 * Idempotent.
	 */
	void confirm(long goods, long buyer, String key) {
		this.redis.opsForHash().delete(RedisKeys.goodsStock(goods), holdField(buyer, key));
	}

	/** Units left in Redis, or empty when it doesn't hold the item. */
	java.util.OptionalInt left(long goods) {
		Object left = this.redis.opsForHash().get(RedisKeys.goodsStock(goods), "left");
		return left == null ? java.util.OptionalInt.empty()
				: java.util.OptionalInt.of(Integer.parseInt(left.toString()));
	}

	/**
	 * Loads the item's stock from MariaDB unless Redis has it: one node at a time
	 * (Redisson lock), and the script loads only if no one did since, so holds taken
	 * meanwhile are never overwritten.
	 */
	void load(long goods) {
		RLock lock = this.redisson.getLock(RedisKeys.goodsStock(goods) + ":loading");
		lock.lock(30, java.util.concurrent.TimeUnit.SECONDS);
		try {
			if (this.redis.opsForHash().hasKey(RedisKeys.goodsStock(goods), "loaded")) {
				return;
			}
			Snapshot read = this.snapshot.execute(status -> {
				SaleMapper.Item item = this.sale.item(goods);
				return item == null ? null : new Snapshot(item, this.sale.holds(goods), this.sale.bought(goods));
			});
			if (read == null) {
				return;
			}
			SaleMapper.Item item = read.item();
			List<SaleMapper.Hold> holds = read.holds();
			int held = holds.stream().mapToInt(SaleMapper.Hold::quantity).sum();
			List<String> args = new ArrayList<>(
					List.of(newLoadId(), Integer.toString(Math.max(0, item.stock() - item.sold() - held)),
							Integer.toString(item.perUserLimit())));
			for (SaleMapper.Hold hold : holds) {
				args.add(holdField(hold.buyerId(), hold.idemKey()));
				args.add(Integer.toString(hold.quantity()));
			}
			for (SaleMapper.Bought bought : read.bought()) {
				args.add(buyerField(bought.buyerId()));
				args.add(Integer.toString(bought.quantity()));
			}
			this.redis.execute(LOAD, List.of(RedisKeys.goodsStock(goods)), args.toArray());
		}
		finally {
			lock.unlock();
		}
	}

}
