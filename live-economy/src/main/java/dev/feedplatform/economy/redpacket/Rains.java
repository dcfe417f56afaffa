package dev.feedplatform.economy.redpacket;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.feedplatform.runtime.messaging.EventJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.error.Require;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.economy.EconomySettings;
import dev.feedplatform.economy.Times;
import dev.feedplatform.economy.wallet.Account;
import dev.feedplatform.economy.wallet.InsufficientBalance;
import dev.feedplatform.economy.wallet.Leg;
import dev.feedplatform.economy.wallet.Ledger;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.runtime.ports.LiveRooms;
import dev.feedplatform.runtime.ports.RoomBroadcast;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Red-packet rain (seed 001 红包雨; issue 18). A granted anchor <b>prepares</b> a rain: one
 * MariaDB transaction moves its budget from the anchor's coins to the platform's
 * {@code RED_PACKETS} account and stores the rain with its split ({@link PacketSplit});
 * the packets are then loaded into a Redis list. <b>Start</b> moves the row READY →
 * RUNNING once (guarded update), records the window's end in Redis and announces the rain
 * to every viewer on every node exactly once (a guarded {@code announced} flag on the
 * row, set before the frame is sent, so a second start, on any node, sends nothing and
 * never reloads packets). A <b>grab</b> is one Lua script — running, under the per-user
 * limit, pop a packet, record who took it — answered with the amount; the credit goes
 * through RocketMQ into the ledger, exactly once (a grab row unique per packet is written
 * with the legs). At the window's end (a delayed message, a sweep as the safety net) the
 * rain is closed in Redis, every packet taken is credited (in case a message was lost),
 * the row becomes ENDED, and what nobody took goes back to the anchor.
 *
 * <p>
 * Keys of one rain share its hash tag (Redis Cluster). Amounts are coins (integers).
 */
@Component
public class Rains {

	private static final Logger log = LoggerFactory.getLogger(Rains.class);

	static final String GRAB_TOPIC = "economy-red-packet-grabs";

	static final String END_TOPIC = "economy-red-packet-ends";

	static final int MAX_COUNT = 10_000;

	static final int MAX_DURATION_S = 3_600;

	static final int MAX_PER_USER = 100;

	static final int READY = 0, RUNNING = 1, ENDED = 2;

	/**
	 * Grabs credited in one transaction (a delivery of the credit topic, or a chunk of a
	 * rain's end).
	 */
	static final int CREDIT_BATCH = 64;

	/**
	 * How long after its window a rain's end runs: grabs decided just before it reach
	 * Redis first.
	 */
	static final long END_GRACE_MS = 1_000;

	/**
	 * KEYS packets, state; ARGV the packets ("index:amount"). Loads once (the "loaded"
	 * flag); 1 when it did.
	 */
	private static final RedisScript<Long> LOAD = RedisScript.of("""
			if redis.call('HSETNX', KEYS[2], 'loaded', '1') == 0 then return 0 end
			redis.call('DEL', KEYS[1])
			for i = 1, #ARGV, 1000 do redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV))) end
			redis.call('PEXPIRE', KEYS[1], 86400000)
			redis.call('PEXPIRE', KEYS[2], 86400000)
			return 1
			""", Long.class);

	/**
	 * KEYS state, packets, takers, grabs; ARGV ends (epoch ms), TTL ms. Opens the window.
	 */
	private static final RedisScript<Long> START = RedisScript.of("""
			redis.call('HSET', KEYS[1], 'ends', ARGV[1])
			for i = 1, #KEYS do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
			return 1
			""", Long.class);

	/**
	 * KEYS state, packets, takers, grabs; ARGV user, per-user limit, now (epoch ms).
	 * Answers {-2} not running, {-1} the user's limit reached, {0} none left, or {1,
	 * index, amount}.
	 */
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> GRAB = RedisScript.of(
			"""
					local ends = redis.call('HGET', KEYS[1], 'ends')
					if not ends or redis.call('HEXISTS', KEYS[1], 'closed') == 1 or tonumber(ARGV[3]) >= tonumber(ends) then return {-2} end
					if redis.call('HINCRBY', KEYS[3], ARGV[1], 1) > tonumber(ARGV[2]) then
					  redis.call('HINCRBY', KEYS[3], ARGV[1], -1)
					  return {-1}
					end
					local packet = redis.call('LPOP', KEYS[2])
					if not packet then
					  redis.call('HINCRBY', KEYS[3], ARGV[1], -1)
					  return {0}
					end
					local at = string.find(packet, ':', 1, true)
					local index, amount = string.sub(packet, 1, at - 1), string.sub(packet, at + 1)
					redis.call('HSET', KEYS[4], index, ARGV[1] .. ':' .. amount)
					return {1, tonumber(index), tonumber(amount)}
					""",
			List.class);

	/**
	 * KEYS state, grabs. Closes the rain to grabs and answers every packet taken (index,
	 * "user:amount", ...).
	 */
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> CLOSE = RedisScript.of("""
			redis.call('HSET', KEYS[1], 'closed', '1')
			return redis.call('HGETALL', KEYS[2])
			""", List.class);

	/**
	 * A packet taken, on its way to the grabber's wallet (message body
	 * {@code rain|packet|user|amount}).
	 */
	record Grab(long rain, int packet, long user, long amount) {

		/**
		 * A grab sent before events were JSON ({@code rain|packet|user|amount}; issue
		 * 20): read while a broker may still hold one.
		 */
		static Grab fromText(String text) {
			String[] f = text.split("\\|");
			if (f.length != 4) {
				throw new IllegalArgumentException("not a red-packet grab: " + text);
			}
			try {
				return new Grab(Long.parseLong(f[0]), Integer.parseInt(f[1]), Long.parseLong(f[2]),
						Long.parseLong(f[3]));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("not a red-packet grab: " + text, ex);
			}
		}
	}

	private final RainMapper rains;

	private final Ledger ledger;

	private final LiveRooms rooms;

	private final RoomBroadcast broadcast;

	private final StringRedisTemplate redis;

	private final RocketMq rocketMq;

	private final LeasedIdGenerator ids;

	private final TransactionTemplate tx;

	private final EconomySettings settings;

	private final JsonMapper json;

	private final Clock clock;

	/*
	 * Rains seen running, by id: a grab (thousands a second when a rain opens) needs only
	 * the room and the per-user limit, which never change, so it reads the row once per
	 * node, not per grab. Whether the rain still runs is Redis's answer (the grab
	 * script), so a cached rain that ended answers 410 all the same.
	 */
	private final Cache<Long, RainMapper.Rain> running = Caffeine.newBuilder()
		.maximumSize(10_000)
		.expireAfterWrite(Duration.ofSeconds(MAX_DURATION_S))
		.build();

	Rains(RainMapper rains, Ledger ledger, LiveRooms rooms, RoomBroadcast broadcast, StringRedisTemplate redis,
			RocketMq rocketMq, LeasedIdGenerator ids, TransactionTemplate tx, EconomySettings settings, JsonMapper json,
			Clock clock) {
		this.rains = rains;
		this.ledger = ledger;
		this.rooms = rooms;
		this.broadcast = broadcast;
		this.redis = redis;
		this.rocketMq = rocketMq;
		this.ids = ids;
		this.tx = tx;
		this.settings = settings;
		this.json = json;
		this.clock = clock;
	}

	/** A moderator lets {@code user} hold rains. */
	void grant(long user, long moderator) {
		this.rains.grant(user, moderator);
	}

	/**
	 * Prepares a rain in the owner's room; the budget is debited at once.
	 * @throws Problem 400 bad numbers, 403 not the room's owner or no grant, 404 no open
	 * room, 409 short balance or the key used for another rain
	 */
	Map<String, Object> prepare(long owner, long roomId, Long total, Integer count, Integer durationS, Integer perUser,
			String idempotencyKey) {
		String key = Require.present(Require.idempotencyKey(idempotencyKey, "idempotency_key"), "idempotency_key");
		long budget = Require.present(total, "total");
		int packets = Require.present(count, "count");
		int seconds = Require.present(durationS, "duration_s");
		int limit = perUser == null ? this.settings.redPacketPerUser() : perUser;
		if (packets < 1 || packets > MAX_COUNT) {
			throw Problem.badRequest("count must be between 1 and " + MAX_COUNT);
		}
		if (budget < packets) {
			throw Problem.badRequest("total must be at least count (every packet holds at least 1 coin)");
		}
		if (seconds < 1 || seconds > MAX_DURATION_S) {
			throw Problem.badRequest("duration_s must be between 1 and " + MAX_DURATION_S);
		}
		if (limit < 1 || limit > MAX_PER_USER) {
			throw Problem.badRequest("per_user must be between 1 and " + MAX_PER_USER);
		}
		RainMapper.Rain earlier = this.rains.byKey(owner, key);
		if (earlier != null) {
			return replay(earlier, roomId, budget, packets, seconds, limit);
		}
		LiveRooms.Room room = this.rooms.find(roomId)
			.filter(LiveRooms.Room::open)
			.orElseThrow(() -> Problem.notFound("no open room " + roomId));
		if (room.ownerId() != owner) {
			throw Problem.forbidden("only the room's owner holds a red-packet rain in it");
		}
		if (!this.rains.granted(owner)) {
			throw Problem.forbidden("holding red-packet rains needs a moderator's grant");
		}
		long id = this.ids.next();
		long[] split = PacketSplit.split(budget, packets, ThreadLocalRandom.current());
		StringBuilder stored = new StringBuilder(packets * 4);
		for (long amount : split) {
			stored.append(stored.isEmpty() ? "" : ",").append(amount);
		}
		RainMapper.Rain rain = new RainMapper.Rain(id, roomId, owner, budget, packets, limit, seconds,
				stored.toString(), READY, 0, null, 0, key);
		try {
			this.tx.executeWithoutResult(status -> {
				this.ledger.post(id, "RED_PACKET_RAIN", "rain:" + id, List.of(Leg.debit(owner, Account.COINS, budget),
						Leg.credit(Account.PLATFORM, Account.RED_PACKETS, budget)));
				this.rains.insert(rain);
			});
		}
		catch (InsufficientBalance short_) {
			throw Problem.conflict("insufficient balance: the rain's total is " + budget + " coins");
		}
		catch (DuplicateKeyException twin) {
			// a racing retry stored it first
			return replay(this.rains.byKey(owner, key), roomId, budget, packets, seconds, limit);
		}
		load(rain); // start loads them again if this doesn't get through
		return view(rain);
	}

	/**
	 * Starts a READY rain (again: answers the running one, announces nothing twice).
	 * @throws Problem 403 not the owner, 404 no such rain in the room, 409 over already
	 */
	Map<String, Object> start(long user, long roomId, long rainId) {
		RainMapper.Rain rain = inRoom(roomId, rainId);
		if (rain.ownerId() != user) {
			throw Problem.forbidden("only the rain's owner starts it");
		}
		if (rain.status() == ENDED) {
			throw Problem.conflict("this rain is over");
		}
		if (rain.status() == READY) {
			LocalDateTime endsAt = Times.stored(this.clock.millis() + rain.durationS() * 1000L);
			this.rains.start(rainId, endsAt.withNano(endsAt.getNano() / 1_000_000 * 1_000_000));
			rain = this.rains.find(rainId); // this call's window, or a racing start's
		}
		long endsAt = Times.epochMs(rain.endsAt());
		if (rain.announced() == 0) {
			// Loaded and opened in Redis only before the announcement: a start repeated
			// after Redis
			// lost a running rain must not offer its packets again (they were taken, or
			// are being).
			load(rain);
			this.redis.execute(START, keys(rainId), Long.toString(endsAt),
					Long.toString(Math.max(1, endsAt - this.clock.millis()) + 86_400_000L));
			if (this.rains.announce(rainId) == 1) {
				Map<String, Object> frame = new LinkedHashMap<>();
				frame.put("type", "red_packet_rain");
				frame.put("room", Long.toString(roomId));
				frame.put("rain", Long.toString(rainId));
				frame.put("ends_at", Times.iso(endsAt));
				this.broadcast.send(roomId, "rain:" + rainId, this.json.writeValueAsString(frame));
				scheduleEnd(rainId, endsAt - this.clock.millis() + END_GRACE_MS);
			}
		}
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("id", Long.toString(rainId));
		answer.put("status", "RUNNING");
		answer.put("ends_at", Times.iso(endsAt));
		return answer;
	}

	/**
	 * Takes a packet for {@code user}.
	 * @throws Problem 404 no such rain in the room, 409 none left or the user's limit
	 * reached, 410 not running
	 */
	Map<String, Object> grab(long user, long roomId, long rainId) {
		RainMapper.Rain rain = this.running.getIfPresent(rainId);
		if (rain == null || rain.roomId() != roomId) {
			rain = inRoom(roomId, rainId);
			if (rain.status() != RUNNING) {
				throw Problem.gone(rain.status() == READY ? "this rain has not started" : "this rain is over");
			}
			this.running.put(rainId, rain);
		}
		List<?> got = this.redis.execute(GRAB, keys(rainId), Long.toString(user), Integer.toString(rain.perUser()),
				Long.toString(this.clock.millis()));
		long outcome = got == null || got.isEmpty() ? -2 : ((Number) got.get(0)).longValue();
		if (outcome == -2) {
			throw Problem.gone("this rain is over");
		}
		if (outcome == -1) {
			throw Problem
				.conflict("you took " + (rain.perUser() == 1 ? "your packet" : "your " + rain.perUser() + " packets")
						+ " from this rain");
		}
		if (outcome == 0) {
			throw Problem.conflict("none left");
		}
		Grab grab = new Grab(rainId, ((Number) got.get(1)).intValue(), user, ((Number) got.get(2)).longValue());
		// The packet is recorded in Redis, which is the credit's outbox: the rain's end
		// credits every
		// packet taken, so the message can go without a wait (a crash of this node or of
		// the broker
		// leaves it to the end; Redis losing the record leaves it to this message).
		this.rocketMq.sendOutboxed(GRAB_TOPIC, rainId + ":" + grab.packet(), EventJson.encode(grab));
		return Map.of("amount", grab.amount());
	}

	/**
	 * Credits taken packets to their grabbers, each once (the grab row is unique per
	 * packet and written with its legs), all in one transaction: a delivery of many grabs
	 * costs one commit, not one each. Refused once the rain has ended: its rest went back
	 * to the owner already (only a grab Redis forgot can come that late).
	 */
	void credit(List<Grab> grabs) {
		// Wallet rows are locked in user order, so two batches crediting the same users
		// can't deadlock.
		List<Grab> ordered = grabs.stream()
			.sorted(java.util.Comparator.comparingLong(Grab::user)
				.thenComparingLong(Grab::rain)
				.thenComparingInt(Grab::packet))
			.toList();
		this.tx.executeWithoutResult(status -> {
			Map<Long, Integer> states = new java.util.HashMap<>();
			for (Grab grab : ordered) {
				Integer state = states.computeIfAbsent(grab.rain(), rain -> {
					Integer read = this.rains.statusShared(rain);
					return read == null ? ENDED : read;
				});
				if (state == ENDED) {
					log.error("red packet {} of rain {} for user {} came after the rain ended; not credited",
							grab.packet(), grab.rain(), grab.user());
					continue;
				}
				long id = this.ids.next();
				if (this.rains.insertGrab(id, grab.rain(), grab.packet(), grab.user(), grab.amount()) == 0) {
					// credited before (a redelivery, or the rain's end ran first)
					continue;
				}
				this.ledger.post(id, "RED_PACKET_GRAB", "rain:" + grab.rain(),
						List.of(Leg.debit(Account.PLATFORM, Account.RED_PACKETS, grab.amount()),
								Leg.credit(grab.user(), Account.COINS, grab.amount())));
			}
		});
	}

	/**
	 * Ends a running rain whose window closed: closes it in Redis, credits every packet
	 * taken (a lost message's included), marks it ENDED and returns what nobody took to
	 * the owner — once, however many nodes and sweeps try. Early (the broker's timer came
	 * early) it waits again.
	 */
	void end(long rainId) {
		RainMapper.Rain rain = this.rains.find(rainId);
		if (rain == null || rain.status() != RUNNING) {
			return;
		}
		long due = Times.epochMs(rain.endsAt()) + END_GRACE_MS - this.clock.millis();
		if (due > 0) {
			scheduleEnd(rainId, due);
			return;
		}
		List<?> taken = this.redis.execute(CLOSE, List.of(RedisKeys.rainState(rainId), RedisKeys.rainGrabs(rainId)));
		List<Grab> grabs = new ArrayList<>();
		for (int i = 0; taken != null && i + 1 < taken.size(); i += 2) {
			String[] who = taken.get(i + 1).toString().split(":");
			grabs.add(new Grab(rainId, Integer.parseInt(taken.get(i).toString()), Long.parseLong(who[0]),
					Long.parseLong(who[1])));
		}
		for (int from = 0; from < grabs.size(); from += CREDIT_BATCH) {
			credit(grabs.subList(from, Math.min(grabs.size(), from + CREDIT_BATCH)));
		}
		this.tx.executeWithoutResult(status -> {
			if (this.rains.close(rainId) == 0) {
				return; // another node ended it
			}
			// After the row lock: every credit that got in before is committed and
			// counted here.
			long rest = rain.total() - this.rains.taken(rainId).amount();
			if (rest > 0) {
				this.ledger.post(rainId, "RED_PACKET_REFUND", "rain:" + rainId,
						List.of(Leg.debit(Account.PLATFORM, Account.RED_PACKETS, rest),
								Leg.credit(rain.ownerId(), Account.COINS, rest)));
			}
			this.rains.refunded(rainId, rest);
		});
	}

	/** Ends rains whose end message never came. */
	void sweep() {
		LocalDateTime before = Times.stored(this.clock.millis() - END_GRACE_MS);
		for (long id : this.rains.overdue(before, 100)) {
			try {
				end(id);
			}
			catch (RuntimeException ex) {
				log.warn("ending red-packet rain {} failed: {}", id, ex.toString());
			}
		}
	}

	/** The rain as {@code GET} shows it. */
	Map<String, Object> find(long roomId, long rainId) {
		return view(inRoom(roomId, rainId));
	}

	private Map<String, Object> view(RainMapper.Rain rain) {
		long grabs;
		long amount;
		if (rain.status() == RUNNING) {
			// Live: what Redis says was taken (credits follow within seconds).
			List<Object> taken = this.redis.opsForHash().values(RedisKeys.rainGrabs(rain.id()));
			grabs = taken.size();
			amount = taken.stream()
				.mapToLong(t -> Long.parseLong(t.toString().substring(t.toString().indexOf(':') + 1)))
				.sum();
		}
		else {
			RainMapper.Taken taken = this.rains.taken(rain.id());
			grabs = taken.grabs();
			amount = taken.amount();
		}
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("id", Long.toString(rain.id()));
		view.put("room_id", Long.toString(rain.roomId()));
		view.put("status", switch (rain.status()) {
			case READY -> "READY";
			case RUNNING -> "RUNNING";
			default -> "ENDED";
		});
		view.put("total", rain.total());
		view.put("count", rain.count());
		view.put("per_user", rain.perUser());
		view.put("duration_s", rain.durationS());
		view.put("ends_at", Times.iso(rain.endsAt()));
		view.put("grabbed", grabs);
		view.put("grabbed_amount", amount);
		view.put("refunded", rain.refunded());
		return view;
	}

	private Map<String, Object> replay(RainMapper.Rain earlier, long roomId, long total, int count, int seconds,
			int perUser) {
		if (earlier.roomId() != roomId || earlier.total() != total || earlier.count() != count
				|| earlier.durationS() != seconds || earlier.perUser() != perUser) {
			throw Problem.conflict("idempotency_key was already used for a different rain");
		}
		return view(earlier);
	}

	private RainMapper.Rain inRoom(long roomId, long rainId) {
		RainMapper.Rain rain = this.rains.find(rainId);
		if (rain == null || rain.roomId() != roomId) {
			throw Problem.notFound("no red-packet rain " + rainId + " in room " + roomId);
		}
		return rain;
	}

	/**
	 * Puts the rain's packets in Redis unless they are there (or were, and were taken).
	 */
	private void load(RainMapper.Rain rain) {
		String[] amounts = rain.packets().split(",");
		String[] packets = new String[amounts.length];
		for (int i = 0; i < amounts.length; i++) {
			packets[i] = i + ":" + amounts[i];
		}
		try {
			this.redis.execute(LOAD, List.of(RedisKeys.rainPackets(rain.id()), RedisKeys.rainState(rain.id())),
					(Object[]) packets);
		}
		catch (RuntimeException ex) {
			if (rain.status() != READY) {
				throw ex;
			}
			log.warn("rain {}: packets not loaded yet ({}); start loads them", rain.id(), ex.toString());
		}
	}

	private static List<String> keys(long rainId) {
		List<String> keys = new ArrayList<>();
		keys.add(RedisKeys.rainState(rainId));
		keys.add(RedisKeys.rainPackets(rainId));
		keys.add(RedisKeys.rainTakers(rainId));
		keys.add(RedisKeys.rainGrabs(rainId));
		return keys;
	}

	private void scheduleEnd(long rainId, long delayMs) {
		this.rocketMq.sendTimer(END_TOPIC, Long.toString(rainId), Long.toString(rainId), delayMs,
				"rain " + rainId + "'s end");
	}

}
