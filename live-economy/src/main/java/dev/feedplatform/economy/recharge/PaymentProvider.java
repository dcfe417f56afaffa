package dev.feedplatform.economy.recharge;

/**
 * Where a recharge's money is collected. {@link #charge} asks the provider to collect
 * {@code amount} for an order; a real provider confirms later with a signed notice to
 * {@code POST /api/payments/callback} (which may come before {@code charge} returns,
 * twice, or late). The {@code demo} provider pays at once (the seed had no merchant
 * account either).
 */
interface PaymentProvider {

	/**
	 * The provider's answer: its reference for the charge, and whether the money is
	 * already collected.
	 */
	record Charge(String reference, boolean paid) {
	}

	/**
	 * Idempotent per order: asking again for the same order does not charge twice.
	 * @throws dev.feedplatform.common.error.Problem 503 when the provider can't be
	 * reached
	 */
	Charge charge(long orderId, long userId, long amount);

}
