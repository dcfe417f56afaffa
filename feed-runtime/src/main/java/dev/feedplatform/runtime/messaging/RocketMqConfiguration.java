package dev.feedplatform.runtime.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * The RocketMQ clients, the declared subscriptions, and the health indicator (named
 * {@code rocketMQ} in /actuator/health).
 */
@Configuration(proxyBeanMethods = false)
public class RocketMqConfiguration {

	private static final Logger log = LoggerFactory.getLogger(RocketMqConfiguration.class);

	@Bean
	RocketMq rocketMq(RocketMqSettings settings, ObjectProvider<TopicDeclaration> topics, Environment environment) {
		RocketMqClientTimers.warnIfNotInEffect(environment, log);
		return new RocketMq(settings, topics.orderedStream().toList());
	}

	@Bean
	Subscriptions subscriptions(RocketMq rocketMq, ObjectProvider<Subscription> declared) {
		return new Subscriptions(rocketMq, declared);
	}

	/**
	 * Starts the declared {@link Subscription}s once every bean, and the web server, is
	 * ready; stops every consumer when the context closes, in the lifecycle phase after
	 * the web server's and the gateway's and before the id worker lease is released
	 * (phase 1) and the Redis client stops (phase 0), so no message is handled half-way
	 * against stopped clients (it would be redelivered, but fail first). Not pauseable: a
	 * paused test context keeps consuming, as it did.
	 */
	static final class Subscriptions implements SmartLifecycle {

		/** Stops before the id worker lease (phase 1, {@code LeasedIdGenerator}). */
		static final int PHASE = 2;

		private volatile boolean running;

		private final RocketMq rocketMq;

		private final ObjectProvider<Subscription> declared;

		Subscriptions(RocketMq rocketMq, ObjectProvider<Subscription> declared) {
			this.rocketMq = rocketMq;
			this.declared = declared;
		}

		@EventListener(ApplicationReadyEvent.class)
		void subscribe() {
			this.declared.orderedStream().forEach(this.rocketMq::subscribe);
		}

		@Override
		public void start() {
			this.running = true; // consumers start once the application is ready
		}

		@Override
		public void stop() {
			this.running = false;
			this.rocketMq.stopConsuming();
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return PHASE;
		}

		@Override
		public boolean isPauseable() {
			return false;
		}

	}

	@Bean
	HealthIndicator rocketMQHealthIndicator(RocketMq rocketMq, RocketMqSettings settings) {
		return new RocketMqHealthIndicator(rocketMq, settings);
	}

}
