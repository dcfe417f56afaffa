package dev.feedplatform.economy.sale;

import java.util.ArrayList;
import java.util.List;

import dev.feedplatform.common.keys.RedisKeys;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A flash-sale item's stock in Redis, one hash per item (seed 001 直播带货: stock loaded into Redis
 * when the room opens): {@code left}, {@code limit}, each hold ({@code hold:<buyer>:<key>} → units)
 * and each buyer's units held or bought ({@code buyer:<id>}). A hold decrements {@code left} only
 * if {@code left >= units} and the buyer stays within the limit, and records itself, so a repeated
 * click holds nothing twice (springboot-seckill #35; the {@code >=} is spikeSystem #14's oversell);
 * a release or a confirmation removes the hold once. When Redis lost the hash it is rebuilt from
 * MariaDB — stock − sold − what HELD orders hold, read in one snapshot — under a Redisson lock.
 * Redis is the fast gate; MariaDB's guarded {@code sold} is the last word (a payment that would
 * sell more than the stock is refused), so a Redis loss can never sell what isn't there.
 */
@Component
class Stock {

	/** KEYS stock; ARGV hold field, buyer field, units. -2 not loaded, 0 can't be had, else the units held (a retry: its hold). */
	private static final RedisScript<Long> HOLD = RedisScript.of("""
			if redis.call('HEXISTS', KEYS[1], 'loaded') == 0 then return -2 end
			local held = redis.call('HGET', KEYS[1], ARGV[1])
			if held then return tonumber(held) end
			local units = tonumber(ARGV[3])
			local left = tonumber(redis.call('HGET', KEYS[1], 'left'))
			local mine = tonumber(redis.call('HGET', KEYS[1], ARGV[2]) or '0')
			if left < units or mine + units > tonumber(redis.call('HGET', KEYS[1], 'limit')) then return 0 end
			redis.call('HINCRBY', KEYS[1], 'left', -units)
			redis.call('HINCRBY', KEYS[1], ARGV[2], units)
			redis.call('HSET', KEYS[1], ARGV[1], units)
			return units
			""", Long.class);

	/** KEYS stock; ARGV hold field, buyer field. Gives a hold's units back once; answers them (0: nothing held). */
	private static final RedisScript<Long> RELEASE = RedisScript.of("""
			local held = redis.call('HGET', KEYS[1], ARGV[1])
			if not held then return 0 end
			redis.call('HDEL', KEYS[1], ARGV[1])
			redis.call('HINCRBY', KEYS[1], 'left', held)
			redis.call('HINCRBY', KEYS[1], ARGV[2], -tonumber(held))
			return tonumber(held)
			""", Long.class);

	/** KEYS stock; ARGV left, limit, then field/value pairs (holds, buyers). Loads once; 1 when it did. */
	private static final RedisScript<Long> LOAD = RedisScript.of("""
			if redis.call('HSETNX', KEYS[1], 'loaded', '1') == 0 then return 0 end
			redis.call('HSET', KEYS[1], 'left', ARGV[1], 'limit', ARGV[2])
			for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
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

	/** What MariaDB says of an item at one instant: a payment committing meanwhile is in all three reads or in none. */
	private record Snapshot(SaleMapper.Item item, List<SaleMapper.Hold> holds, List<SaleMapper.Bought> bought) {
	}

	static String holdField(long buyer, String key) {
		return "hold:" + buyer + ":" + key;
	}

	static String buyerField(long buyer) {
		return "buyer:" + buyer;
	}

	/** Holds {@code units} of the item for the buyer's order {@code key}; the units held (a retry gets its hold), 0 when they can't be had. */
	int hold(long goods, long buyer, String key, int units) {
		for (int attempt = 0; attempt < 2; attempt++) {
			Long held = this.redis.execute(HOLD, List.of(RedisKeys.goodsStock(goods)), holdField(buyer, key), buyerField(buyer),
					Integer.toString(units));
			if (held != null && held >= 0) {
				return held.intValue();
			}
			load(goods);
		}
		throw new IllegalStateException("the stock of goods " + goods + " could not be loaded");
	}

	/** Gives the hold back (an order expired). Idempotent. */
	void release(long goods, long buyer, String key) {
		this.redis.execute(RELEASE, List.of(RedisKeys.goodsStock(goods)), holdField(buyer, key), buyerField(buyer));
	}

	/** The hold became a sale (an order paid): the units stay taken, the hold record goes. Idempotent. */
	void confirm(long goods, long buyer, String key) {
		this.redis.opsForHash().delete(RedisKeys.goodsStock(goods), holdField(buyer, key));
	}

	/** Units left in Redis, or empty when it doesn't hold the item. */
	java.util.OptionalInt left(long goods) {
		Object left = this.redis.opsForHash().get(RedisKeys.goodsStock(goods), "left");
		return left == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(Integer.parseInt(left.toString()));
	}

	/**
	 * Loads the item's stock from MariaDB unless Redis has it: one node at a time (Redisson lock),
	 * and the script loads only if no one did since, so holds taken meanwhile are never overwritten.
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
			List<String> args = new ArrayList<>(List.of(Integer.toString(Math.max(0, item.stock() - item.sold() - held)),
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
