package dev.feedplatform.economy.wallet;

/**
 * One side of a ledger transaction: {@code amount} coins (signed: negative leaves the
 * account) on {@code owner}'s {@code account}.
 */
public record Leg(long owner, Account account, long amount) {

	/**
	 * @throws IllegalArgumentException for an amount ≤ 0 (an overflowed price must never
	 * turn a debit into a credit)
	 */
	public static Leg debit(long owner, Account account, long amount) {
		return new Leg(owner, account, -positive(amount));
	}

	/**
	 * @throws IllegalArgumentException for an amount ≤ 0
	 */
	public static Leg credit(long owner, Account account, long amount) {
		return new Leg(owner, account, positive(amount));
	}

	private static long positive(long amount) {
		if (amount <= 0) {
			throw new IllegalArgumentException("a leg moves a positive amount, not " + amount);
		}
		return amount;
	}

}
