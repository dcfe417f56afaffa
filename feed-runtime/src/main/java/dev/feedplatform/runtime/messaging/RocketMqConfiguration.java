package dev.feedplatform.runtime.messaging;

import org.springframework.beans.factory.ObjectProvider;

import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The RocketMQ clients and their health indicator (named {@code rocketMQ} in /actuator/health). */
@Configuration(proxyBeanMethods = false)
public class RocketMqConfiguration {

	@Bean
	RocketMq rocketMq(RocketMqSettings settings, ObjectProvider<TopicDeclaration> topics) {
		return new RocketMq(settings, topics.orderedStream().toList());
	}

	@Bean
	HealthIndicator rocketMQHealthIndicator(RocketMq rocketMq, RocketMqSettings settings) {
		return new RocketMqHealthIndicator(rocketMq, settings);
	}

}
