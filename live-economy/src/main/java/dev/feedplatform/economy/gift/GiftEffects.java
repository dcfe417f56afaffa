package dev.feedplatform.economy.gift;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.feedplatform.economy.pk.Pks;
import dev.feedplatform.economy.wallet.Account;
import dev.feedplatform.economy.wallet.Leg;
import dev.feedplatform.economy.wallet.Ledger;
import dev.feedplatform.economy.wallet.LedgerTxn;
import dev.feedplatform.runtime.ports.RoomBroadcast;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A delivered batch of gift events (at least once, any node): each gift goes on its
 * room's board once ({@link GiftBoard}), is shown to every viewer of the room
 * ({@code gift} frame, its id the gift's, so a repeat is dropped by the nodes), moves a
 * running PK's bar once ({@link Pks#onGift}); then one transaction marks the batch's
 * gifts done and credits their anchors from the platform's gifts-in-transit account — one
 * guarded row update per anchor per batch, not per gift. A gift already marked done is
 * skipped there, so a redelivered batch credits nothing twice.
 */
@Component
class GiftEffects {

	private final GiftBoard board;

	private final Pks pks;

	private final RoomBroadcast broadcast;

	private final GiftMapper gifts;

	private final Ledger ledger;

	private final TransactionTemplate tx;

	private final JsonMapper json;

	private final Timer lag;

	GiftEffects(GiftBoard board, Pks pks, RoomBroadcast broadcast, GiftMapper gifts, Ledger ledger,
			TransactionTemplate tx, JsonMapper json, MeterRegistry meters) {
		this.board = board;
		this.pks = pks;
		this.broadcast = broadcast;
		this.gifts = gifts;
		this.ledger = ledger;
		this.tx = tx;
		this.json = json;
		this.lag = Timer.builder("feed.economy.gift.lag")
			.description("from a gift's debit to its effects")
			.register(meters);
	}

	void apply(List<GiftEvent> delivered) {
		if (delivered.isEmpty()) {
			return; // every message of the delivery was malformed (dropped by Deliveries)
		}
		// A gift settled already (a redelivery after the settlement committed) had all
		// its effects:
		// skipped, so a board rebuilt after Redis lost the gifts' marks doesn't count it
		// again.
		java.util.Set<Long> pending = new java.util.HashSet<>(
				this.gifts.pending(delivered.stream().map(GiftEvent::id).toList()));
		List<GiftEvent> batch = delivered.stream().filter(gift -> pending.contains(gift.id())).toList();
		if (batch.isEmpty()) {
			return;
		}
		Map<Long, List<GiftEvent>> byRoom = new LinkedHashMap<>();
		batch.forEach(gift -> byRoom.computeIfAbsent(gift.room(), r -> new ArrayList<>()).add(gift));
		// Per room: the board in one script, then one message per node with the room's
		// frames, before
		// the PK's frames (a gift shows before the bar it moved).
		byRoom.forEach((room, gifts) -> {
			long[] combos = this.board.apply(room, gifts);
			List<RoomBroadcast.Frame> frames = new ArrayList<>(gifts.size());
			for (int i = 0; i < gifts.size(); i++) {
				frames.add(new RoomBroadcast.Frame("gift:" + gifts.get(i).id(), frame(gifts.get(i), combos[i])));
			}
			this.broadcast.sendAll(room, frames);
		});
		List<Long> countedByPk = new ArrayList<>();
		for (GiftEvent gift : batch) {
			if (gift.pk() != 0 && this.pks.onGift(gift.pk(), gift.id(), gift.anchor(), gift.amount(), gift.at())) {
				countedByPk.add(gift.id());
			}
		}
		Map<Long, GiftEvent> byId = new java.util.TreeMap<>();
		batch.forEach(gift -> byId.put(gift.id(), gift));
		this.tx.executeWithoutResult(status -> {
			// The rows still pending, locked: a redelivered batch racing this one credits
			// nothing twice.
			List<Long> locked = this.gifts.lockPending(List.copyOf(byId.keySet()));
			if (locked.isEmpty()) {
				return;
			}
			this.gifts.settleAll(locked);
			List<Long> counted = countedByPk.stream().filter(locked::contains).toList();
			if (!counted.isEmpty()) {
				this.gifts.countInPk(counted);
			}
			List<LedgerTxn> credits = new ArrayList<>();
			for (long id : locked) {
				GiftEvent gift = byId.get(id);
				credits.add(new LedgerTxn(id, "GIFT_RECEIVED", "gift:" + id,
						List.of(Leg.debit(Account.PLATFORM, Account.GIFTS_IN_TRANSIT, gift.amount()),
								Leg.credit(gift.anchor(), Account.EARNINGS, gift.amount()))));
			}
			this.ledger.postAll(credits);
		});
		long now = System.currentTimeMillis();
		batch.forEach(gift -> this.lag.record(java.time.Duration.ofMillis(Math.max(0, now - gift.at()))));
	}

	private String frame(GiftEvent gift, long combo) {
		Map<String, Object> frame = new LinkedHashMap<>();
		frame.put("type", "gift");
		frame.put("id", Long.toString(gift.id()));
		frame.put("room", Long.toString(gift.room()));
		frame.put("from", Long.toString(gift.sender()));
		frame.put("to", Long.toString(gift.anchor()));
		// ids are strings, as in GET /api/gifts
		frame.put("gift_id", Integer.toString(gift.gift()));
		frame.put("count", gift.count());
		frame.put("effect", gift.effect());
		frame.put("combo", combo);
		frame.put("ts", gift.at());
		return this.json.writeValueAsString(frame);
	}

}
