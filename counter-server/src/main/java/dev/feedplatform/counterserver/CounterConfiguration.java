package dev.feedplatform.counterserver;

import org.apache.ibatis.annotations.Mapper;
import org.mybatis.spring.annotation.MapperScan;

import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.runtime.messaging.TopicDeclaration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** The delta topic and its appliers; appliers start once the application is ready. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CounterSettings.class)
@MapperScan(basePackageClasses = CounterConfiguration.class, annotationClass = Mapper.class)
class CounterConfiguration {

	@Bean
	TopicDeclaration counterDeltaTopic() {
		return new TopicDeclaration(DeltaBatch.TOPIC, 8);
	}

	@EventListener(ApplicationReadyEvent.class)
	void startAppliers(ApplicationReadyEvent ready) {
		RocketMq rocketMq = ready.getApplicationContext().getBean(RocketMq.class);
		DeltaApplier applier = ready.getApplicationContext().getBean(DeltaApplier.class);
		CounterSettings settings = ready.getApplicationContext().getBean(CounterSettings.class);
		rocketMq.subscribe("feed-counter-apply", DeltaBatch.TOPIC, applier.listener(), settings.applyThreads())
			.setConsumeMessageBatchMaxSize(DeltaApplier.MAX_BATCHES);
	}

}
