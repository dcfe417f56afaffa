package dev.feedplatform.economy.wallet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.feedplatform.runtime.id.LeasedIdGenerator;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one writer of wallets and ledger entries. {@link #post} writes a transaction's legs
 * — their amounts must sum to zero — and moves the users' wallet rows by the same
 * amounts, in the caller's MariaDB transaction: a debit is a guarded
 * {@code UPDATE ... WHERE balance >= amount}, so a balance never goes negative however
 * many debits race (demo-finserv #205, envato/double_entry #114 are what a
 * read-then-write does instead). Rows are touched in (owner, account) order, so two
 * transactions over the same accounts never deadlock. A leg is unique per (event, kind,
 * owner, account): posting the same event twice fails on the key instead of moving money
 * twice.
 */
@Component
public class Ledger {

	private final LedgerMapper mapper;

	private final LeasedIdGenerator ids;

	Ledger(LedgerMapper mapper, LeasedIdGenerator ids) {
		this.mapper = mapper;
		this.ids = ids;
	}

	/**
	 * Posts one ledger transaction inside the caller's (required) transaction.
	 * @param txnId the event the legs belong to (a gift id, a recharge order id)
	 * @param kind what happened ({@code RECHARGE}, {@code GIFT_SENT},
	 * {@code GIFT_RECEIVED})
	 * @param ref what a user's wallet shows beside the entry ({@code "gift:<id>"})
	 * @throws InsufficientBalance when a user account can't give what a leg takes
	 * (nothing is written)
	 * @throws org.springframework.dao.DuplicateKeyException when the event was posted
	 * already
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void post(long txnId, String kind, String ref, List<Leg> legs) {
		postAll(List.of(new LedgerTxn(txnId, kind, ref, legs)));
	}

	/**
	 * Posts many transactions at once (a batch of gift settlements): each must balance;
	 * the wallet rows move by each (owner, account)'s total, one guarded statement per
	 * row, and every leg is inserted in one statement. Same guarantees as {@link #post}.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void postAll(List<LedgerTxn> txns) {
		java.util.Map<Leg, Long> totals = new java.util.TreeMap<>(
				Comparator.comparingLong(Leg::owner).thenComparing(Leg::account));
		List<LedgerMapper.Row> rows = new ArrayList<>();
		for (LedgerTxn txn : txns) {
			if (txn.legs().stream().mapToLong(Leg::amount).sum() != 0) {
				throw new IllegalArgumentException(
						"legs of " + txn.kind() + " " + txn.txnId() + " don't balance: " + txn.legs());
			}
			for (Leg leg : txn.legs()) {
				totals.merge(new Leg(leg.owner(), leg.account(), 0), leg.amount(), Long::sum);
				rows.add(new LedgerMapper.Row(this.ids.next(), txn.txnId(), leg.owner(), leg.account().name(),
						leg.amount(), txn.kind(), txn.ref()));
			}
		}
		if (rows.isEmpty()) {
			return;
		}
		totals.forEach((account, amount) -> move(new Leg(account.owner(), account.account(), amount)));
		this.mapper.insert(rows);
	}

	private void move(Leg leg) {
		if (!leg.account().isUsers() || leg.amount() == 0) {
			return; // the platform's balances are the sums of their legs (no hot row to
					// lock)
		}
		boolean coins = leg.account() == Account.COINS;
		if (leg.amount() > 0) {
			if (coins) {
				this.mapper.creditBalance(leg.owner(), leg.amount());
			}
			else {
				this.mapper.creditEarnings(leg.owner(), leg.amount());
			}
			return;
		}
		long amount = -leg.amount();
		int moved = coins ? this.mapper.debitBalance(leg.owner(), amount)
				: this.mapper.debitEarnings(leg.owner(), amount);
		if (moved == 0) {
			throw new InsufficientBalance(leg.owner(), leg.account(), amount);
		}
	}

	/**
	 * The user's coins now (inside a transaction that debited them: the value it left).
	 */
	public long balance(long user) {
		LedgerMapper.Balances balances = this.mapper.balances(user);
		return balances == null ? 0 : balances.balance();
	}

}
