package dev.feedplatform.economy.sale;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.economy.Sweeps;
import dev.feedplatform.runtime.messaging.Deliveries;
import dev.feedplatform.runtime.messaging.Subscription;
import dev.feedplatform.runtime.messaging.TopicDeclaration;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The pre-order expiry topic (delayed messages), its consumer, and the sale sweep (every
 * 15 s, as the seed syncs stock).
 */
@Configuration(proxyBeanMethods = false)
class SaleConfiguration {

	@Bean
	TopicDeclaration orderExpiryTopic() {
		return new TopicDeclaration(Orders.EXPIRY_TOPIC, 2);
	}

	@Bean
	Subscription orderExpirySubscription(Orders orders) {
		return new Subscription("economy-order-expiry", Orders.EXPIRY_TOPIC,
				Deliveries.each("expiring pre-orders", Deliveries::id, orders::expire), 1);
	}

	@Bean
	SaleSweep saleSweep(Orders orders, RedissonClient redisson) {
		return new SaleSweep(orders, redisson.getLock(RedisKeys.economySweep("sale")));
	}

	record SaleSweep(Orders orders, RLock lock) {

		@Scheduled(fixedDelay = 15_000, initialDelay = 15_000)
		void sweep() {
			Sweeps.alone(this.lock, 60, "flash sale", this.orders::sweep);
		}
	}

}
