package dev.feedplatform.economy.recharge;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.economy.EconomySettings;
import dev.feedplatform.economy.Sweeps;
import dev.feedplatform.runtime.messaging.Deliveries;
import dev.feedplatform.runtime.messaging.Subscription;
import dev.feedplatform.runtime.messaging.TopicDeclaration;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;
import tools.jackson.databind.json.JsonMapper;

/**
 * The payment provider, the expiry topic and its consumer, and the overdue-order sweep.
 */
@Configuration(proxyBeanMethods = false)
class RechargeConfiguration {

	private static final Logger log = LoggerFactory.getLogger(RechargeConfiguration.class);

	@Bean
	TopicDeclaration rechargeExpiryTopic() {
		return new TopicDeclaration(Recharges.EXPIRY_TOPIC, 4);
	}

	@Bean
	PaymentProvider paymentProvider(EconomySettings settings, JsonMapper json) {
		EconomySettings.Payment payment = settings.payment();
		return switch (payment.provider()) {
			case "demo" -> new DemoPaymentProvider();
			case "none" -> (order, user, amount) -> {
				throw dev.feedplatform.common.error.Problem
					.unavailable("recharges are not available: no payment provider is configured");
			};
			case "http" -> {
				if (payment.url() == null || payment.url().isBlank() || payment.notifyUrl() == null
						|| payment.notifyUrl().isBlank() || payment.secret() == null
						|| payment.secret().length() < 16) {
					throw new IllegalStateException(
							"feed.economy.payment.provider=http needs feed.economy.payment.url, notify-url"
									+ " (this platform's /api/payments/callback as the provider reaches it) and a secret of at least 16 characters");
				}
				yield new HttpPaymentProvider(payment.url(), payment.secret(), payment.notifyUrl(), payment.timeout(),
						json);
			}
			default -> throw new IllegalStateException(
					"feed.economy.payment.provider must be none, demo or http, not " + payment.provider());
		};
	}

	@Bean
	Subscription rechargeExpirySubscription(Recharges recharges) {
		return new Subscription("economy-recharge-expiry", Recharges.EXPIRY_TOPIC,
				Deliveries.each("expiring recharge orders", Deliveries::id, recharges::expire), 1);
	}

	/**
	 * Orders whose delayed expiry was never scheduled (broker down at creation); one node
	 * at a time.
	 */
	@Bean
	OverdueRecharges overdueRecharges(Recharges recharges, RedissonClient redisson) {
		return new OverdueRecharges(recharges, redisson);
	}

	static final class OverdueRecharges {

		private final Recharges recharges;

		private final RLock lock;

		OverdueRecharges(Recharges recharges, RedissonClient redisson) {
			this.recharges = recharges;
			this.lock = redisson.getLock(RedisKeys.economySweep("recharges"));
		}

		@Scheduled(fixedDelay = 60_000, initialDelay = 30_000)
		void sweep() {
			Sweeps.alone(this.lock, 50, "recharge", () -> {
				int expired = 0;
				for (long order : this.recharges.overdue()) {
					expired += this.recharges.expire(order) ? 1 : 0;
				}
				if (expired > 0) {
					log.info("expired {} overdue recharge orders", expired);
				}
			});
		}

	}

}
