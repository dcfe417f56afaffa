package dev.feedplatform.economy.wallet;

/**
 * A guarded debit found less than the amount on the account; the transaction rolls back.
 * The caller decides what the client hears (a 409 problem for a gift).
 */
public class InsufficientBalance extends RuntimeException {

	public InsufficientBalance(long owner, Account account, long amount) {
		super("account " + account + " of " + owner + " holds less than " + amount, null, false, false);
	}

}
