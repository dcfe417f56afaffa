package dev.feedplatform.counterserver;

import org.apache.ibatis.annotations.Mapper;
import org.mybatis.spring.annotation.MapperScan;

import dev.feedplatform.runtime.messaging.Subscription;
import dev.feedplatform.runtime.messaging.TopicDeclaration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The delta topic and its appliers (a declared subscription: they start once the
 * application is ready).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CounterSettings.class)
@MapperScan(basePackageClasses = CounterConfiguration.class, annotationClass = Mapper.class)
class CounterConfiguration {

	@Bean
	TopicDeclaration counterDeltaTopic() {
		return new TopicDeclaration(DeltaBatch.TOPIC, 8);
	}

	@Bean
	Subscription counterAppliersSubscription(DeltaApplier applier, CounterSettings settings) {
		return new Subscription("feed-counter-apply", DeltaBatch.TOPIC, applier.listener(), settings.applyThreads())
			.inBatchesOf(DeltaApplier.MAX_BATCHES);
	}

}
