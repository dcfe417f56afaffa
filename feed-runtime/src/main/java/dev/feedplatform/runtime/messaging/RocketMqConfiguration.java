package dev.feedplatform.runtime.messaging;

import org.springframework.beans.factory.ObjectProvider;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * The RocketMQ clients, the declared subscriptions, and the health indicator (named
 * {@code rocketMQ} in /actuator/health).
 */
@Configuration(proxyBeanMethods = false)
public class RocketMqConfiguration {

	@Bean
	RocketMq rocketMq(RocketMqSettings settings, ObjectProvider<TopicDeclaration> topics) {
		return new RocketMq(settings, topics.orderedStream().toList());
	}

	@Bean
	Subscriptions subscriptions(RocketMq rocketMq, ObjectProvider<Subscription> declared) {
		return new Subscriptions(rocketMq, declared);
	}

	/**
	 * Starts the declared {@link Subscription}s once every bean, and the web server, is
	 * ready.
	 */
	static final class Subscriptions {

		private final RocketMq rocketMq;

		private final ObjectProvider<Subscription> declared;

		Subscriptions(RocketMq rocketMq, ObjectProvider<Subscription> declared) {
			this.rocketMq = rocketMq;
			this.declared = declared;
		}

		@EventListener(ApplicationReadyEvent.class)
		void start() {
			this.declared.orderedStream().forEach(this.rocketMq::subscribe);
		}

	}

	@Bean
	HealthIndicator rocketMQHealthIndicator(RocketMq rocketMq, RocketMqSettings settings) {
		return new RocketMqHealthIndicator(rocketMq, settings);
	}

}
