package dev.feedplatform.economy.gift;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.feedplatform.runtime.messaging.EventJson;
import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.error.Require;
import dev.feedplatform.common.id.IdGenerator;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.economy.EconomySettings;
import dev.feedplatform.economy.RateLimits;
import dev.feedplatform.economy.pk.Pks;
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
 * Sending a gift (seed 001, 礼物服务). One MariaDB transaction debits the sender (guarded),
 * moves the coins to the platform's gifts-in-transit account and stores the gift with the
 * sender's idempotency key and resulting balance; the answer is 201 once it commits. Its
 * effects — the broadcast, the leaderboard, the PK bar and the anchor's credit — follow
 * through RocketMQ ({@link GiftEffects}), so the anchor's wallet row, which every gift of
 * a busy room would lock, is not in the sender's transaction. The message is sent without
 * waiting for the broker: a gift whose message was lost or refused is found by the sweep
 * (its row is the outbox). The same key with the same body answers the first answer, on
 * any node, however the requests race (the unique key decides); with another body, 409.
 */
@Component
class Gifting {

	static final int MAX_COUNT = 9_999;

	/** What the sender hears. */
	record Sent(String id, long balance) {
	}

	private final GiftMapper gifts;

	private final GiftCatalogue catalogue;

	private final Ledger ledger;

	private final LiveRooms rooms;

	private final Pks pks;

	private final LeasedIdGenerator ids;

	private final RocketMq rocketMq;

	private final RateLimits limits;

	private final EconomySettings settings;

	private final TransactionTemplate tx;

	Gifting(GiftMapper gifts, GiftCatalogue catalogue, Ledger ledger, LiveRooms rooms, Pks pks, LeasedIdGenerator ids,
			RocketMq rocketMq, RateLimits limits, EconomySettings settings, TransactionTemplate tx) {
		this.gifts = gifts;
		this.catalogue = catalogue;
		this.ledger = ledger;
		this.rooms = rooms;
		this.pks = pks;
		this.ids = ids;
		this.rocketMq = rocketMq;
		this.limits = limits;
		this.settings = settings;
		this.tx = tx;
	}

	Sent send(long sender, long roomId, Integer giftKind, Integer count, Long to, String idempotencyKey) {
		String key = Require.present(Require.idempotencyKey(idempotencyKey, "idempotency_key"), "idempotency_key");
		GiftMapper.Kind kind = this.catalogue.find(Require.present(giftKind, "gift_id"))
			.orElseThrow(() -> Problem.badRequest("no gift " + giftKind + " in the catalogue (GET /api/gifts)"));
		int n = Require.present(count, "count");
		if (n < 1 || n > MAX_COUNT) {
			throw Problem.badRequest("count must be between 1 and " + MAX_COUNT);
		}
		LiveRooms.Room room;
		Optional<Pks.Running> pk;
		long anchor;
		try {
			room = this.rooms.find(roomId).orElseThrow(() -> Problem.notFound("no room " + roomId));
			if (!room.open()) {
				throw Problem.notFound("room " + roomId + " is closed");
			}
			pk = this.pks.runningIn(roomId);
			anchor = to == null ? room.ownerId() : to;
			if (anchor != room.ownerId() && pk.map(p -> !p.hasAnchor(anchor)).orElse(true)) {
				throw Problem.badRequest(
						"to must be the room's anchor" + (pk.isPresent() ? " or the anchor it is in a PK with" : ""));
			}
			if (anchor == sender) {
				throw Problem.badRequest("an anchor can't send a gift to themself");
			}
		}
		catch (Problem refused) {
			// A retry of a gift that was stored before the room closed (or its PK ended)
			// still gets its answer.
			return replayOr(refused, sender, key, roomId, kind.id(), n, to);
		}
		try {
			this.limits.admit(RedisKeys.giftRate(sender), this.settings.giftRate(), Duration.ofSeconds(1),
					"too many gifts; at most " + this.settings.giftRate() + " a second");
		}
		catch (Problem tooFast) {
			// a retry of a stored gift is answered, not refused
			return replayOr(tooFast, sender, key, roomId, kind.id(), n, to);
		}
		long amount = kind.price() * n;
		long id = this.ids.next();
		GiftMapper.Gift gift;
		try {
			gift = this.tx.execute(status -> {
				this.ledger.post(id, "GIFT_SENT", "gift:" + id, List.of(Leg.debit(sender, Account.COINS, amount),
						Leg.credit(Account.PLATFORM, Account.GIFTS_IN_TRANSIT, amount)));
				GiftMapper.Gift row = new GiftMapper.Gift(id, roomId, sender, anchor, kind.id(), n, amount,
						pk.map(Pks.Running::id).orElse(null), key, this.ledger.balance(sender), 0);
				this.gifts.insert(row);
				return row;
			});
		}
		catch (InsufficientBalance short_) {
			// A concurrent twin may have spent it.
			return replayOr(Problem.conflict("insufficient balance: the gift costs " + amount + " coins"), sender, key,
					roomId, kind.id(), n, to);
		}
		catch (DuplicateKeyException twin) {
			// A retry (or its racing twin) of a stored gift: the unique key refused the
			// second row,
			// and its debit rolled back with it. No lookup before the transaction:
			// retries are rare.
			return replay(this.gifts.byKey(sender, key), roomId, kind.id(), n, to);
		}
		// Not waited for: the gift row is the outbox, and the sweep sends what never
		// arrived.
		this.rocketMq.sendOutboxed(GiftEvent.TOPIC, Long.toString(id), EventJson.encode(event(gift, kind.effect())));
		return new Sent(Long.toString(id), gift.balanceAfter());
	}

	/** The gift's event (also what the sweep resends). */
	static GiftEvent event(GiftMapper.Gift gift, String effect) {
		return new GiftEvent(gift.id(), gift.roomId(), gift.senderId(), gift.anchorId(), gift.giftId(), gift.count(),
				gift.amount(), effect, gift.pkId() == null ? 0 : gift.pkId(), IdGenerator.epochMsOf(gift.id()));
	}

	/** The stored answer for the sender's key if there is one, else {@code refusal}. */
	private Sent replayOr(Problem refusal, long sender, String key, long roomId, int kind, int count, Long to) {
		GiftMapper.Gift earlier = this.gifts.byKey(sender, key);
		if (earlier == null) {
			throw refusal;
		}
		return replay(earlier, roomId, kind, count, to);
	}

	private Sent replay(GiftMapper.Gift earlier, long roomId, int kind, int count, Long to) {
		boolean same = earlier.roomId() == roomId && earlier.giftId() == kind && earlier.count() == count
				&& (to == null || earlier.anchorId() == to);
		if (!same) {
			throw Problem.conflict("idempotency_key was already used for a different gift");
		}
		return new Sent(Long.toString(earlier.id()), earlier.balanceAfter());
	}

}
