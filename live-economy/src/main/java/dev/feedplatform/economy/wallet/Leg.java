package dev.feedplatform.economy.wallet;

/**
 * One side of a ledger transaction: {@code amount} coins (signed: negative leaves the account) on
 * {@code owner}'s {@code account}.
 */
public record Leg(long owner, Account account, long amount) {

	public static Leg debit(long owner, Account account, long amount) {
		return new Leg(owner, account, -amount);
	}

	public static Leg credit(long owner, Account account, long amount) {
		return new Leg(owner, account, amount);
	}

}
