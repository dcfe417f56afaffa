package dev.feedplatform.economy.gift;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A room's gift leaderboard (top senders by coins) in a Redis sorted set, and the combo counter,
 * updated once per gift however often the gift is delivered: {@link #APPLY} records the gift's id
 * beside the board in one script. The board is a view of the {@code gifts} table: when Redis lost it
 * (the "built" flag is gone) it is rebuilt from one consistent read of the table — every sender's
 * total, plus the ids of gifts whose effects have not run yet, which are marked applied so their
 * deliveries don't add them twice. Keys share the room's hash tag (Redis Cluster).
 */
@Component
class GiftBoard {

	/** How long a gift's "applied" mark is kept: far longer than any redelivery. */
	static final Duration APPLIED_TTL = Duration.ofDays(2);

	/** Gifts of one kind from one sender within this long of each other make a combo. */
	static final Duration COMBO_WINDOW = Duration.ofSeconds(5);

	/** A room's board lives this long after its last gift. */
	static final Duration BOARD_TTL = Duration.ofDays(7);

	/** The combo the gift got (1, 2, ...), or -1: the board must be rebuilt first. */
	private static final RedisScript<Long> APPLY = RedisScript.of("""
			local done = redis.call('GET', KEYS[3])
			if done then return tonumber(done) end
			if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
			redis.call('ZINCRBY', KEYS[1], ARGV[2], ARGV[1])
			local combo = redis.call('INCR', KEYS[4])
			redis.call('PEXPIRE', KEYS[4], ARGV[4])
			redis.call('SET', KEYS[3], combo, 'PX', ARGV[3])
			redis.call('PEXPIRE', KEYS[1], ARGV[5])
			redis.call('PEXPIRE', KEYS[2], ARGV[5])
			return combo
			""", Long.class);

	/**
	 * KEYS: board, built flag, then the in-flight gifts' marks; ARGV: applied TTL ms, board TTL ms,
	 * then sender/total pairs. A no-op when another node rebuilt it first.
	 */
	private static final RedisScript<Long> REBUILD = RedisScript.of("""
			if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
			redis.call('DEL', KEYS[1])
			for i = 3, #ARGV, 2 do redis.call('ZADD', KEYS[1], ARGV[i + 1], ARGV[i]) end
			for i = 3, #KEYS do redis.call('SET', KEYS[i], '1', 'PX', ARGV[1]) end
			redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
			if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
			return 1
			""", Long.class);

	private final StringRedisTemplate redis;

	private final GiftMapper gifts;

	private final TransactionTemplate snapshot;

	GiftBoard(StringRedisTemplate redis, GiftMapper gifts, TransactionTemplate tx) {
		this.redis = redis;
		this.gifts = gifts;
		this.snapshot = new TransactionTemplate(tx.getTransactionManager());
		this.snapshot.setReadOnly(true);
	}

	/** Adds the gift to its room's board once; returns its combo. */
	long apply(GiftEvent gift) {
		for (int attempt = 0; attempt < 3; attempt++) {
			Long combo = this.redis.execute(APPLY,
					List.of(RedisKeys.roomGiftTop(gift.room()), RedisKeys.roomGiftTopBuilt(gift.room()),
							RedisKeys.roomGiftApplied(gift.room(), gift.id()), RedisKeys.roomGiftCombo(gift.room(), gift.sender(), gift.gift())),
					Long.toString(gift.sender()), Long.toString(gift.amount()), Long.toString(APPLIED_TTL.toMillis()),
					Long.toString(COMBO_WINDOW.toMillis()), Long.toString(BOARD_TTL.toMillis()));
			if (combo != null && combo >= 0) {
				return combo;
			}
			rebuild(gift.room());
		}
		throw new IllegalStateException("the gift board of room " + gift.room() + " could not be rebuilt");
	}

	/** The room's top senders, highest first. */
	List<Top> top(long roomId, int size) {
		if (Boolean.FALSE.equals(this.redis.hasKey(RedisKeys.roomGiftTopBuilt(roomId)))) {
			rebuild(roomId);
		}
		Set<ZSetOperations.TypedTuple<String>> rows = this.redis.opsForZSet()
			.reverseRangeWithScores(RedisKeys.roomGiftTop(roomId), 0, size - 1);
		List<Top> top = new ArrayList<>();
		for (ZSetOperations.TypedTuple<String> row : rows == null ? Set.<ZSetOperations.TypedTuple<String>>of() : rows) {
			top.add(new Top(row.getValue(), row.getScore() == null ? 0 : row.getScore().longValue()));
		}
		return top;
	}

	/** A sender and the coins they gave in the room. */
	record Top(@com.fasterxml.jackson.annotation.JsonProperty("user_id") String userId, long amount) {
	}

	private void rebuild(long roomId) {
		record Snapshot(List<GiftMapper.Total> totals, List<Long> inFlight) {
		}
		Snapshot read = this.snapshot
			.execute(status -> new Snapshot(this.gifts.roomTotals(roomId), this.gifts.roomInFlight(roomId)));
		List<String> keys = new ArrayList<>(List.of(RedisKeys.roomGiftTop(roomId), RedisKeys.roomGiftTopBuilt(roomId)));
		read.inFlight().forEach(id -> keys.add(RedisKeys.roomGiftApplied(roomId, id)));
		List<String> args = new ArrayList<>(List.of(Long.toString(APPLIED_TTL.toMillis()), Long.toString(BOARD_TTL.toMillis())));
		for (GiftMapper.Total total : read.totals()) {
			args.add(Long.toString(total.senderId()));
			args.add(Long.toString(total.amount()));
		}
		this.redis.execute(REBUILD, keys, args.toArray());
	}

}
