package dev.feedplatform.economy.pk;

import java.time.Duration;

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
 * The PK timer topic (deadlines and invitation expiry, delayed messages), its consumer,
 * and the sweep behind it.
 */
@Configuration(proxyBeanMethods = false)
class PkConfiguration {

	/**
	 * Delayed messages come on time to the second; the sweep acts on what is this late.
	 */
	static final Duration SWEEP_GRACE = Duration.ofSeconds(15);

	@Bean
	TopicDeclaration pkTimerTopic() {
		return new TopicDeclaration(Pks.TIMER_TOPIC, 4);
	}

	@Bean
	Subscription pkTimersSubscription(Pks pks) {
		return new Subscription("economy-pk-timers", Pks.TIMER_TOPIC, Deliveries.each("PK timers",
				EventJson.reader(Pks.Timer.class, Pks.Timer::fromText), timer -> pks.onTimer(timer.pk(), timer.kind())),
				1);
	}

	@Bean
	PkSweep pkSweep(Pks pks, RedissonClient redisson) {
		return new PkSweep(pks, redisson.getLock(RedisKeys.economySweep("pk")));
	}

	record PkSweep(Pks pks, RLock lock) {

		@Scheduled(fixedDelay = 10_000, initialDelay = 10_000)
		void sweep() {
			Sweeps.alone(this.lock, 30, "PK", () -> this.pks.sweep(SWEEP_GRACE));
		}
	}

}
