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
 * A room's gift leaderboard (top senders by coins) in a Redis sorted set, and the combo
 * counter, updated once per gift however often the gift is delivered: {@link #APPLY}
 * records the gift's id beside the board in one script. The board is a view of the
 * {@code gifts} table: when Redis lost it (the "built" flag is gone) it is rebuilt from
 * one consistent read of the table — every sender's total, plus the ids of gifts whose
 * effects have not run yet, which are marked applied so their deliveries don't add them
 * twice. Keys share the room's hash tag (Redis Cluster).
 */
@Component
class GiftBoard {

	/** How long a gift's "applied" mark is kept: far longer than any redelivery. */
	static final Duration APPLIED_TTL = Duration.ofDays(2);

	/** Gifts of one kind from one sender within this long of each other make a combo. */
	static final Duration COMBO_WINDOW = Duration.ofSeconds(5);

	/** A room's board lives this long after its last gift. */
	static final Duration BOARD_TTL = Duration.ofDays(7);

	/**
	 * Applies gifts of one room: KEYS board, built flag, then per gift its mark and its
	 * combo key; ARGV applied TTL, combo window, board TTL (ms), then per gift sender and
	 * amount. Answers each gift's combo (a repeat gets the combo it got the first time),
	 * or {-1}: rebuild the board first.
	 */
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> APPLY = RedisScript.of("""
			if redis.call('EXISTS', KEYS[2]) == 0 then return {-1} end
			local out = {}
			for i = 1, (#KEYS - 2) / 2 do
			  local mark, comboKey = KEYS[1 + 2 * i], KEYS[2 + 2 * i]
			  local done = redis.call('GET', mark)
			  if done then
			    out[i] = tonumber(done)
			  else
			    redis.call('ZINCRBY', KEYS[1], ARGV[3 + 2 * i], ARGV[2 + 2 * i])
			    local combo = redis.call('INCR', comboKey)
			    redis.call('PEXPIRE', comboKey, ARGV[2])
			    redis.call('SET', mark, combo, 'PX', ARGV[1])
			    out[i] = combo
			  end
			end
			redis.call('PEXPIRE', KEYS[1], ARGV[3])
			redis.call('PEXPIRE', KEYS[2], ARGV[3])
			return out
			""", List.class);

	/**
	 * KEYS: board, built flag, then the in-flight gifts' marks; ARGV: applied TTL ms,
	 * board TTL ms, then sender/total pairs. A no-op when another node rebuilt it first.
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

	/**
	 * Adds gifts of one room to its board, each once, in one script (one round trip per
	 * room and consumer batch); returns each gift's combo, in order.
	 */
	long[] apply(long roomId, List<GiftEvent> gifts) {
		List<String> keys = new ArrayList<>(List.of(RedisKeys.roomGiftTop(roomId), RedisKeys.roomGiftTopBuilt(roomId)));
		List<String> args = new ArrayList<>(List.of(Long.toString(APPLIED_TTL.toMillis()),
				Long.toString(COMBO_WINDOW.toMillis()), Long.toString(BOARD_TTL.toMillis())));
		for (GiftEvent gift : gifts) {
			keys.add(RedisKeys.roomGiftApplied(roomId, gift.id()));
			keys.add(RedisKeys.roomGiftCombo(roomId, gift.sender(), gift.gift()));
			args.add(Long.toString(gift.sender()));
			args.add(Long.toString(gift.amount()));
		}
		for (int attempt = 0; attempt < 3; attempt++) {
			List<?> combos = this.redis.execute(APPLY, keys, args.toArray());
			if (combos != null && combos.size() == gifts.size() && ((Number) combos.get(0)).longValue() >= 0) {
				return combos.stream().mapToLong(c -> ((Number) c).longValue()).toArray();
			}
			rebuild(roomId);
		}
		throw new IllegalStateException("the gift board of room " + roomId + " could not be rebuilt");
	}

	/** The room's top senders, highest first. */
	List<Top> top(long roomId, int size) {
		if (Boolean.FALSE.equals(this.redis.hasKey(RedisKeys.roomGiftTopBuilt(roomId)))) {
			rebuild(roomId);
		}
		Set<ZSetOperations.TypedTuple<String>> rows = this.redis.opsForZSet()
			.reverseRangeWithScores(RedisKeys.roomGiftTop(roomId), 0, size - 1);
		List<Top> top = new ArrayList<>();
		for (ZSetOperations.TypedTuple<String> row : rows == null ? Set.<ZSetOperations.TypedTuple<String>>of()
				: rows) {
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
		List<String> args = new ArrayList<>(
				List.of(Long.toString(APPLIED_TTL.toMillis()), Long.toString(BOARD_TTL.toMillis())));
		for (GiftMapper.Total total : read.totals()) {
			args.add(Long.toString(total.senderId()));
			args.add(Long.toString(total.amount()));
		}
		this.redis.execute(REBUILD, keys, args.toArray());
	}

}
