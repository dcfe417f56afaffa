package dev.feedplatform.economy.pk;

import java.time.Duration;
import java.util.List;

import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * A running PK's bar in one Redis hash, moved only by scripts (seed 001:
 * "利用LUA脚本，原子性的更新PK进度条"): {@link #apply} decides once per gift whether it counts — the PK
 * runs, the gift was debited before the deadline, it goes to one of the two anchors —
 * adds it, and ends the PK when one side's progress reaches 100; the decision is kept
 * beside the bar, so a redelivered gift gets the same answer and moves nothing. Progress:
 * 50 + (score_a − score_b) / coins-per-point, truncated and held within 0..100. The bar
 * is a view of the ledger (the gifts the PK counted) and is restored from MariaDB when
 * Redis lost it.
 */
@Component
class PkBar {

	/** The bar's state after a gift or a deadline. */
	record State(String mark, String status, long scoreA, long scoreB, String winner) {

		boolean missing() {
			return "missing".equals(this.mark);
		}

		/** This gift (or this deadline) ended the PK. */
		boolean ended() {
			return "2".equals(this.mark);
		}

		boolean counted() {
			return "1".equals(this.mark) || "2".equals(this.mark);
		}

	}

	static final Duration DECISION_TTL = Duration.ofDays(2);

	private static final String STATE = """
			local function state(mark)
			  local h = redis.call('HMGET', KEYS[1], 'status', 'sa', 'sb', 'winner')
			  return {mark, h[1] or '', h[2] or '0', h[3] or '0', h[4] or ''}
			end
			""";

	/**
	 * KEYS: bar, the gift's decision; ARGV: gift id, anchor, amount, debited-at ms,
	 * decision TTL ms.
	 */
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> APPLY = RedisScript.of(STATE + """
			local done = redis.call('GET', KEYS[2])
			if done then return state(done) end
			if redis.call('EXISTS', KEYS[1]) == 0 then return {'missing'} end
			local h = redis.call('HMGET', KEYS[1], 'status', 'a', 'b', 'sa', 'sb', 'ends', 'per')
			local sa, sb = tonumber(h[4]), tonumber(h[5])
			local mark = '0'
			if h[1] == 'RUNNING' and tonumber(ARGV[4]) < tonumber(h[6]) and (ARGV[2] == h[2] or ARGV[2] == h[3]) then
			  if ARGV[2] == h[2] then sa = sa + tonumber(ARGV[3]) else sb = sb + tonumber(ARGV[3]) end
			  mark = '1'
			  local d, per = sa - sb, tonumber(h[7])
			  local points = (d >= 0) and math.floor(d / per) or -math.floor(-d / per)
			  redis.call('HSET', KEYS[1], 'sa', string.format('%.0f', sa), 'sb', string.format('%.0f', sb))
			  if 50 + points >= 100 then
			    redis.call('HSET', KEYS[1], 'status', 'ENDED', 'winner', h[2]); mark = '2'
			  elseif 50 + points <= 0 then
			    redis.call('HSET', KEYS[1], 'status', 'ENDED', 'winner', h[3]); mark = '2'
			  end
			end
			redis.call('SET', KEYS[2], mark, 'PX', ARGV[5])
			return state(mark)
			""", List.class);

	/**
	 * KEYS: bar; ARGV: now ms. Ends a running PK whose deadline passed; the higher score
	 * wins, none on a draw.
	 */
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> FINISH = RedisScript.of(STATE + """
			if redis.call('EXISTS', KEYS[1]) == 0 then return {'missing'} end
			local h = redis.call('HMGET', KEYS[1], 'status', 'a', 'b', 'sa', 'sb', 'ends')
			if h[1] ~= 'RUNNING' then return state('0') end
			if tonumber(ARGV[1]) < tonumber(h[6]) then return state('early') end
			local sa, sb = tonumber(h[4]), tonumber(h[5])
			local winner = ''
			if sa > sb then winner = h[2] elseif sb > sa then winner = h[3] end
			redis.call('HSET', KEYS[1], 'status', 'ENDED', 'winner', winner)
			return state('2')
			""", List.class);

	/**
	 * KEYS: bar; ARGV: status, a, b, sa, sb, ends ms, per, ttl ms. Writes the bar unless
	 * it exists.
	 */
	private static final RedisScript<Long> RESTORE = RedisScript.of(
			"""
					if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
					redis.call('HSET', KEYS[1], 'status', ARGV[1], 'a', ARGV[2], 'b', ARGV[3], 'sa', ARGV[4], 'sb', ARGV[5], 'ends', ARGV[6], 'per', ARGV[7])
					redis.call('PEXPIRE', KEYS[1], ARGV[8])
					return 1
					""",
			Long.class);

	private final StringRedisTemplate redis;

	PkBar(StringRedisTemplate redis) {
		this.redis = redis;
	}

	State apply(long pkId, long giftId, long anchor, long amount, long atMs) {
		return state(this.redis.execute(APPLY, List.of(RedisKeys.pkBar(pkId), RedisKeys.pkGiftApplied(pkId, giftId)),
				Long.toString(giftId), Long.toString(anchor), Long.toString(amount), Long.toString(atMs),
				Long.toString(DECISION_TTL.toMillis())));
	}

	State finish(long pkId, long nowMs) {
		return state(this.redis.execute(FINISH, List.of(RedisKeys.pkBar(pkId)), Long.toString(nowMs)));
	}

	/**
	 * Writes a running PK's bar (a new PK, or one whose bar Redis lost) unless it is
	 * there.
	 */
	void restore(long pkId, long anchorA, long anchorB, long scoreA, long scoreB, long endsAtMs, long coinsPerPoint) {
		long ttl = Math.max(0, endsAtMs - System.currentTimeMillis()) + Duration.ofDays(1).toMillis();
		this.redis.execute(RESTORE, List.of(RedisKeys.pkBar(pkId)), "RUNNING", Long.toString(anchorA),
				Long.toString(anchorB), Long.toString(scoreA), Long.toString(scoreB), Long.toString(endsAtMs),
				Long.toString(coinsPerPoint), Long.toString(ttl));
	}

	/** The bar as it stands, or a missing state. */
	State read(long pkId) {
		List<Object> h = this.redis.opsForHash()
			.multiGet(RedisKeys.pkBar(pkId), List.of("status", "sa", "sb", "winner"));
		if (h.get(0) == null) {
			return new State("missing", "", 0, 0, "");
		}
		return new State("0", (String) h.get(0), Long.parseLong((String) h.get(1)), Long.parseLong((String) h.get(2)),
				h.get(3) == null ? "" : (String) h.get(3));
	}

	@SuppressWarnings("rawtypes")
	private static State state(List reply) {
		if (reply == null || reply.size() < 5) {
			return new State("missing", "", 0, 0, "");
		}
		return new State(String.valueOf(reply.get(0)), String.valueOf(reply.get(1)),
				Long.parseLong(String.valueOf(reply.get(2))), Long.parseLong(String.valueOf(reply.get(3))),
				String.valueOf(reply.get(4)));
	}

	/**
	 * Percent of the bar each side holds: 50 + (a − b) / per, truncated, within 0..100.
	 */
	static int progressA(long scoreA, long scoreB, long coinsPerPoint) {
		// Java truncates toward zero, as the script does
		long points = (scoreA - scoreB) / coinsPerPoint;
		return (int) Math.max(0, Math.min(100, 50 + points));
	}

}
