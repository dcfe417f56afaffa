package dev.feedplatform.economy.recharge;

/**
 * {@code feed.economy.payment.provider=demo}: every charge is collected at once (seed 001
 * fakes its provider too).
 */
final class DemoPaymentProvider implements PaymentProvider {

	@Override
	public Charge charge(long orderId, long userId, long amount) {
		return new Charge("demo-" + orderId, true);
	}

}
