package dev.feedplatform.economy.redpacket;

import dev.feedplatform.runtime.messaging.EventJson;
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
 * The red-packet topics (grabs to credit; rain ends, delayed), their consumers, and the
 * sweep that ends overdue rains.
 */
@Configuration(proxyBeanMethods = false)
class RainConfiguration {

	@Bean
	TopicDeclaration redPacketGrabTopic() {
		return new TopicDeclaration(Rains.GRAB_TOPIC, 4);
	}

	@Bean
	TopicDeclaration redPacketEndTopic() {
		return new TopicDeclaration(Rains.END_TOPIC, 2);
	}

	@Bean
	Subscription redPacketCreditsSubscription(Rains rains) {
		return new Subscription("economy-red-packet-credits", Rains.GRAB_TOPIC, Deliveries.all("crediting red packets",
				EventJson.reader(Rains.Grab.class, Rains.Grab::fromText), rains::credit), 4)
			.inBatchesOf(Rains.CREDIT_BATCH);
	}

	@Bean
	Subscription redPacketEndsSubscription(Rains rains) {
		return new Subscription("economy-red-packet-ends", Rains.END_TOPIC,
				Deliveries.each("ending red-packet rains", Deliveries::id, rains::end), 1);
	}

	@Bean
	RainSweep rainSweep(Rains rains, RedissonClient redisson) {
		return new RainSweep(rains, redisson.getLock(RedisKeys.economySweep("rains")));
	}

	/** Ends rains whose end message never came (the broker lost it, or refused it). */
	record RainSweep(Rains rains, RLock lock) {

		@Scheduled(fixedDelay = 10_000, initialDelay = 10_000)
		void sweep() {
			Sweeps.alone(this.lock, 60, "red-packet rain", this.rains::sweep);
		}
	}

}
