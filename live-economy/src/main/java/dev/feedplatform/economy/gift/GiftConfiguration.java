package dev.feedplatform.economy.gift;

import dev.feedplatform.runtime.messaging.EventJson;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.economy.EconomySettings;
import dev.feedplatform.economy.Sweeps;
import dev.feedplatform.runtime.messaging.Deliveries;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.runtime.messaging.Subscription;
import dev.feedplatform.runtime.messaging.TopicDeclaration;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The gift topic, its consumers (batches of up to {@value #BATCH}), and the outbox sweep.
 */
@Configuration(proxyBeanMethods = false)
class GiftConfiguration {

	static final int BATCH = 32;

	@Bean
	TopicDeclaration giftTopic() {
		return new TopicDeclaration(GiftEvent.TOPIC, 8);
	}

	@Bean
	Subscription giftEffectsSubscription(GiftEffects effects) {
		return new Subscription("economy-gift-effects", GiftEvent.TOPIC, Deliveries.all("applying gifts",
				EventJson.reader(GiftEvent.class, GiftEvent::fromText), effects::apply), 4)
			.inBatchesOf(BATCH);
	}

	@Bean
	GiftSweep giftSweep(GiftMapper gifts, GiftCatalogue catalogue, RocketMq rocketMq, EconomySettings settings,
			RedissonClient redisson) {
		return new GiftSweep(gifts, catalogue, rocketMq, settings, redisson.getLock(RedisKeys.economySweep("gifts")));
	}

	/**
	 * Resends gifts debited long ago whose effects never ran (the broker refused their
	 * message, or it was lost with a crash).
	 */
	record GiftSweep(GiftMapper gifts, GiftCatalogue catalogue, RocketMq rocketMq, EconomySettings settings,
			RLock lock) {

		@Scheduled(fixedDelay = 15_000, initialDelay = 15_000)
		void sweep() {
			Sweeps.alone(this.lock, 60, "gift", () -> {
				for (GiftMapper.Gift gift : this.gifts.stale(this.settings.sweepAfter().toSeconds(), 500)) {
					String effect = this.catalogue.find(gift.giftId()).map(GiftMapper.Kind::effect).orElse("");
					this.rocketMq.send(GiftEvent.TOPIC, Long.toString(gift.id()),
							EventJson.encode(Gifting.event(gift, effect)));
				}
			});
		}
	}

}
