package dev.feedplatform.economy.pk;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.feedplatform.runtime.messaging.EventJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.common.paging.Page;
import dev.feedplatform.common.paging.PageRequest;
import dev.feedplatform.economy.EconomySettings;
import dev.feedplatform.economy.RateLimits;
import dev.feedplatform.economy.Times;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.runtime.ports.LiveRooms;
import dev.feedplatform.runtime.ports.RoomBroadcast;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Anchor PK (seed 001, 直播PK服务). An anchor invites from their open room; exactly one other
 * anchor's accept finds the invitation open (a guarded
 * {@code UPDATE ... WHERE status = OPEN}: the durable form of the seed's {@code SETNX}),
 * and an anchor is in at most one PK (a row per anchor, unique). Once running, gifts to
 * either anchor move the bar ({@link PkBar}); it ends at 100 or at its deadline (a
 * RocketMQ message delayed to {@code ends_at}, a sweep as the safety net), and both rooms
 * hear {@code pk_end} once (frames carry the PK's id, and nodes drop repeats).
 */
@Component
public class Pks {

	/** A PK's timer, delivered late through the broker ({@code kind}: which deadline). */
	record Timer(long pk, String kind) {

		/**
		 * A timer sent before events were JSON ({@code pk|kind}; issue 20): read while a
		 * broker may still hold one.
		 */
		static Timer fromText(String text) {
			String[] parts = text.split("\\|");
			if (parts.length != 2) {
				throw new IllegalArgumentException("not a PK timer: " + text);
			}
			try {
				return new Timer(Long.parseLong(parts[0]), parts[1]);
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("not a PK timer: " + text, ex);
			}
		}

	}

	private static final Logger log = LoggerFactory.getLogger(Pks.class);

	static final String TIMER_TOPIC = "economy-pk-timers";

	/**
	 * How long past its deadline a PK waits for gifts debited before it that are still on
	 * their way to the bar.
	 */
	static final Duration LATE_GIFTS = Duration.ofSeconds(60);

	static final String OPEN = "OPEN", RUNNING = "RUNNING", ENDED = "ENDED", CANCELLED = "CANCELLED";

	/** A running PK as gifts see it. */
	public record Running(long id, long roomA, long anchorA, long roomB, long anchorB) {

		public boolean hasAnchor(long anchor) {
			return anchor == this.anchorA || anchor == this.anchorB;
		}

	}

	private final PkMapper mapper;

	private final PkBar bar;

	private final LiveRooms rooms;

	private final RoomBroadcast broadcast;

	private final LeasedIdGenerator ids;

	private final RocketMq rocketMq;

	private final RateLimits limits;

	private final EconomySettings settings;

	private final TransactionTemplate tx;

	private final Clock clock = Clock.systemUTC();

	private final JsonMapper json;

	/**
	 * room → the PK running in it (or none), trusted for a second; this node's accepts
	 * and ends update it at once.
	 */
	private final Cache<Long, Optional<Running>> runningByRoom = Caffeine.newBuilder()
		.expireAfterWrite(Duration.ofSeconds(1))
		.maximumSize(100_000)
		.build();

	Pks(PkMapper mapper, PkBar bar, LiveRooms rooms, RoomBroadcast broadcast, LeasedIdGenerator ids, RocketMq rocketMq,
			RateLimits limits, EconomySettings settings, TransactionTemplate tx, JsonMapper json) {
		this.json = json;
		this.mapper = mapper;
		this.bar = bar;
		this.rooms = rooms;
		this.broadcast = broadcast;
		this.ids = ids;
		this.rocketMq = rocketMq;
		this.limits = limits;
		this.settings = settings;
		this.tx = tx;
	}

	Map<String, Object> invite(long anchor, long roomId) {
		admit(anchor);
		requireOwnOpenRoom(anchor, roomId);
		long id = this.ids.next();
		try {
			this.tx.executeWithoutResult(status -> {
				this.mapper.claim(anchor, id);
				this.mapper.invite(id, roomId, anchor);
			});
		}
		catch (DuplicateKeyException busy) {
			throw Problem.conflict("you are already in a PK (open or running)");
		}
		timer(id, "invite", this.settings.pkInviteTtl().toMillis());
		return view(this.mapper.find(id));
	}

	Map<String, Object> accept(long anchor, long pkId, long roomId) {
		admit(anchor);
		requireOwnOpenRoom(anchor, roomId);
		PkMapper.Battle invitation = this.mapper.find(pkId);
		if (invitation == null) {
			throw Problem.notFound("no PK " + pkId);
		}
		if (invitation.anchorA() == anchor) {
			throw Problem.conflict("an anchor can't accept their own PK");
		}
		LocalDateTime endsAt = Times.stored(this.clock.millis() + this.settings.pkDuration().toMillis());
		try {
			this.tx.executeWithoutResult(status -> {
				this.mapper.claim(anchor, pkId);
				if (this.mapper.accept(pkId, roomId, anchor, endsAt) == 0) {
					throw new AlreadyTaken();
				}
			});
		}
		catch (DuplicateKeyException busy) {
			throw Problem.conflict("you are already in a PK (open or running)");
		}
		catch (AlreadyTaken taken) {
			throw Problem.conflict("PK " + pkId + " is no longer open");
		}
		PkMapper.Battle battle = this.mapper.find(pkId);
		long endsAtMs = Times.epochMs(battle.endsAt());
		this.bar.restore(pkId, battle.anchorA(), battle.anchorB(), 0, 0, endsAtMs, this.settings.pkCoinsPerPoint());
		timer(pkId, "deadline", Math.max(0, endsAtMs - this.clock.millis()));
		this.runningByRoom.invalidate(battle.roomA());
		this.runningByRoom.invalidate(battle.roomB());
		announceScores(battle, 0, 0, "start");
		return view(battle);
	}

	Map<String, Object> find(long pkId) {
		PkMapper.Battle battle = this.mapper.find(pkId);
		if (battle == null) {
			throw Problem.notFound("no PK " + pkId);
		}
		return view(battle);
	}

	Page<Map<String, Object>> list(String status, PageRequest page) {
		int code = switch (status == null ? RUNNING : status) {
			case OPEN -> 0;
			case RUNNING -> 1;
			case ENDED -> 2;
			case CANCELLED -> 3;
			default -> throw Problem.badRequest("status must be OPEN, RUNNING, ENDED or CANCELLED");
		};
		List<PkMapper.Battle> rows = this.mapper.page(code, page.lastId(), page.size() + 1);
		return Page.fromOverfetch(rows.stream().map(this::view).toList(), page.size(),
				v -> Long.parseLong((String) v.get("id")));
	}

	/** The PK running in a room now (as of at most a second ago on other nodes). */
	public Optional<Running> runningIn(long roomId) {
		return this.runningByRoom.get(roomId, room -> Optional.ofNullable(this.mapper.runningIn(room))
			.map(b -> new Running(b.id(), b.roomA(), b.anchorA(), b.roomB(), b.anchorB())));
	}

	/**
	 * A gift sent while the PK ran, delivered (at least once): the bar decides once
	 * whether it counts; both rooms see the new scores, and {@code pk_end} if it ended
	 * the PK.
	 * @return whether the bar took it (what the gift row records)
	 */
	public boolean onGift(long pkId, long giftId, long anchor, long amount, long atMs) {
		PkBar.State state = this.bar.apply(pkId, giftId, anchor, amount, atMs);
		if (state.missing()) {
			if (!restoreBar(pkId)) {
				return false; // not running any more: an ended PK is not moved
			}
			state = this.bar.apply(pkId, giftId, anchor, amount, atMs);
			if (state.missing()) {
				throw new IllegalStateException("PK " + pkId + " bar vanished while restoring it");
			}
		}
		if (state.counted()) {
			PkMapper.Battle battle = this.mapper.find(pkId);
			announceScores(battle, state.scoreA(), state.scoreB(), Long.toString(giftId));
			if (state.ended()) {
				end(battle, state);
			}
		}
		return state.counted();
	}

	/** The deadline or invitation timer of a PK fired. */
	void onTimer(long pkId, String kind) {
		PkMapper.Battle battle = this.mapper.find(pkId);
		if (battle == null) {
			return;
		}
		if ("invite".equals(kind)) {
			if (battle.status() == 0) {
				cancelInvitation(battle);
			}
			return;
		}
		if (battle.status() != 1) {
			return;
		}
		long now = this.clock.millis();
		long endsAt = Times.epochMs(battle.endsAt());
		if (now < endsAt) {
			// the broker's timer wheel came a little early
			timer(pkId, "deadline", endsAt - now + 100);
			return;
		}
		if (now < endsAt + LATE_GIFTS.toMillis() && this.mapper.pendingGifts(pkId) > 0) {
			// Gifts debited before the deadline still on their way to the bar count
			// first.
			timer(pkId, "deadline", 1_000);
			return;
		}
		PkBar.State state = this.bar.finish(pkId, now);
		if (state.missing()) {
			restoreBar(pkId);
			state = this.bar.finish(pkId, now);
		}
		end(battle, state);
	}

	/** Ends invitations nobody accepted and PKs whose deadline message never came. */
	void sweep(Duration grace) {
		for (PkMapper.Battle battle : this.mapper.overdue(grace.toSeconds(), this.settings.pkInviteTtl().toSeconds())) {
			try {
				onTimer(battle.id(), battle.status() == 0 ? "invite" : "deadline");
			}
			catch (RuntimeException ex) {
				log.warn("PK {} sweep: {}", battle.id(), ex.toString());
			}
		}
	}

	private void cancelInvitation(PkMapper.Battle battle) {
		this.tx.executeWithoutResult(status -> {
			if (this.mapper.cancel(battle.id()) == 1) {
				this.mapper.release(battle.id());
			}
		});
	}

	/**
	 * Records the end (winner and final scores) and tells both rooms. The notice goes out
	 * before and after the row changes, under one id: a crash between the two still
	 * announces it, and viewers' nodes drop the repeat.
	 */
	private void end(PkMapper.Battle battle, PkBar.State state) {
		Long winner = state.winner() == null || state.winner().isEmpty() ? null : Long.parseLong(state.winner());
		if (!ENDED.equals(state.status())) {
			return;
		}
		if (state.ended()) {
			announceEnd(battle, winner);
		}
		int changed = this.tx.execute(status -> {
			int rows = this.mapper.end(battle.id(), winner, state.scoreA(), state.scoreB());
			if (rows == 1) {
				this.mapper.release(battle.id());
			}
			return rows;
		});
		if (changed == 1) {
			announceEnd(battle, winner);
			this.runningByRoom.invalidate(battle.roomA());
			if (battle.roomB() != null) {
				this.runningByRoom.invalidate(battle.roomB());
			}
		}
	}

	/**
	 * Writes the bar of a running PK from the ledger (Redis lost it); false when the PK
	 * is not running.
	 */
	private boolean restoreBar(long pkId) {
		PkMapper.Battle battle = this.mapper.find(pkId);
		if (battle == null || battle.status() != 1) {
			return false;
		}
		long a = 0, b = 0;
		for (PkMapper.Score score : this.mapper.counted(pkId)) {
			if (score.anchorId() == battle.anchorA()) {
				a = score.amount();
			}
			else if (score.anchorId() == battle.anchorB()) {
				b = score.amount();
			}
		}
		this.bar.restore(pkId, battle.anchorA(), battle.anchorB(), a, b, Times.epochMs(battle.endsAt()),
				this.settings.pkCoinsPerPoint());
		return true;
	}

	private void announceScores(PkMapper.Battle battle, long scoreA, long scoreB, String cause) {
		int progressA = PkBar.progressA(scoreA, scoreB, this.settings.pkCoinsPerPoint());
		Map<String, Object> frame = new LinkedHashMap<>();
		frame.put("type", "pk");
		frame.put("id", Long.toString(battle.id()));
		frame.put("scores", Map.of(Long.toString(battle.anchorA()), scoreA, Long.toString(battle.anchorB()), scoreB));
		frame.put("progress",
				Map.of(Long.toString(battle.anchorA()), progressA, Long.toString(battle.anchorB()), 100 - progressA));
		String text = this.json.writeValueAsString(frame);
		String event = "pk:" + battle.id() + ":" + cause;
		this.broadcast.send(battle.roomA(), event, text);
		this.broadcast.send(battle.roomB(), event, text);
	}

	private void announceEnd(PkMapper.Battle battle, Long winner) {
		Map<String, Object> frame = new LinkedHashMap<>();
		frame.put("type", "pk_end");
		frame.put("id", Long.toString(battle.id()));
		frame.put("winner", winner == null ? null : Long.toString(winner));
		String text = this.json.writeValueAsString(frame);
		this.broadcast.send(battle.roomA(), "pk_end:" + battle.id(), text);
		if (battle.roomB() != null) {
			this.broadcast.send(battle.roomB(), "pk_end:" + battle.id(), text);
		}
	}

	private Map<String, Object> view(PkMapper.Battle battle) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("id", Long.toString(battle.id()));
		String status = switch (battle.status()) {
			case 1 -> RUNNING;
			case 2 -> ENDED;
			case 3 -> CANCELLED;
			default -> OPEN;
		};
		view.put("status", status);
		view.put("rooms", battle.roomB() == null ? List.of(Long.toString(battle.roomA()))
				: List.of(Long.toString(battle.roomA()), Long.toString(battle.roomB())));
		view.put("anchors", battle.anchorB() == null ? List.of(Long.toString(battle.anchorA()))
				: List.of(Long.toString(battle.anchorA()), Long.toString(battle.anchorB())));
		if (battle.anchorB() != null) {
			long a = battle.scoreA(), b = battle.scoreB();
			if (battle.status() == 1) {
				PkBar.State live = this.bar.read(battle.id());
				if (live.missing() && restoreBar(battle.id())) {
					live = this.bar.read(battle.id());
				}
				a = live.scoreA();
				b = live.scoreB();
			}
			int progressA = PkBar.progressA(a, b, this.settings.pkCoinsPerPoint());
			view.put("scores", Map.of(Long.toString(battle.anchorA()), a, Long.toString(battle.anchorB()), b));
			view.put("progress", Map.of(Long.toString(battle.anchorA()), progressA, Long.toString(battle.anchorB()),
					100 - progressA));
		}
		if (battle.winner() != null) {
			view.put("winner", Long.toString(battle.winner()));
		}
		view.put("ends_at", Times.iso(battle.endsAt()));
		return view;
	}

	private void requireOwnOpenRoom(long anchor, long roomId) {
		LiveRooms.Room room = this.rooms.find(roomId).orElseThrow(() -> Problem.notFound("no room " + roomId));
		if (room.ownerId() != anchor) {
			throw Problem.forbidden("only the room's anchor starts or accepts a PK from it");
		}
		if (!room.open()) {
			throw Problem.notFound("room " + roomId + " is closed");
		}
	}

	private void admit(long user) {
		this.limits.admit(RedisKeys.pkRate(user), this.settings.pkActionRate(), Duration.ofMinutes(1),
				"too many PK actions; try again in a minute");
	}

	private void timer(long pkId, String kind, long delayMs) {
		this.rocketMq.sendTimer(TIMER_TOPIC, Long.toString(pkId), EventJson.encode(new Timer(pkId, kind)), delayMs,
				"PK " + pkId + "'s " + kind + " timer");
	}

	/** A second accept lost the race (rolls its claim back). */
	private static final class AlreadyTaken extends RuntimeException {

		AlreadyTaken() {
			super(null, null, false, false);
		}

	}

}
