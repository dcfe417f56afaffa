package dev.feedplatform.economy.wallet;

/**
 * The ledger's accounts. A user has {@link #COINS} (spendable, bought by recharge) and
 * {@link #EARNINGS} (received as an anchor); the platform (owner 0) has
 * {@link #PAYMENTS}, the counterpart of every recharge (it goes negative by what the
 * provider collected), and {@link #GIFTS_IN_TRANSIT}, coins debited for a gift and not
 * yet credited to its anchor, and {@link #RED_PACKETS}, the budgets of red-packet rains
 * not yet grabbed or returned.
 */
public enum Account {

	COINS, EARNINGS, PAYMENTS, GIFTS_IN_TRANSIT, RED_PACKETS;

	/** The owner id of the platform's accounts. */
	public static final long PLATFORM = 0;

	boolean isUsers() {
		return this == COINS || this == EARNINGS;
	}

}
