package dev.feedplatform.publish.fanout;

import dev.feedplatform.common.events.FanOutBatch;
import dev.feedplatform.common.events.PostChanged;
import dev.feedplatform.common.events.PostPublished;
import dev.feedplatform.common.events.PostRetracted;
import dev.feedplatform.publish.retraction.RetractionCleanup;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.runtime.messaging.TopicDeclaration;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Topics and consumers of the publish module; consumers start once the application is ready. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(FanOutSettings.class)
public class FanOutConfiguration {

	/** Second stage of retraction cleanup, delivered late through the broker timer. */
	public static final String RELEASE_TOPIC = "feed-blacklist-release";

	@Bean
	TopicDeclaration postPublishedTopic() {
		return new TopicDeclaration(PostPublished.TOPIC, 8);
	}

	/** More queues than any instance's worker threads: batches spread over every instance. */
	@Bean
	TopicDeclaration fanOutBatchTopic() {
		return new TopicDeclaration(FanOutBatch.TOPIC, 16);
	}

	@Bean
	TopicDeclaration postChangedTopic() {
		return new TopicDeclaration(PostChanged.TOPIC, 4);
	}

	@Bean
	TopicDeclaration postRetractedTopic() {
		return new TopicDeclaration(PostRetracted.TOPIC, 4);
	}

	@Bean
	TopicDeclaration blacklistReleaseTopic() {
		return new TopicDeclaration(RELEASE_TOPIC, 4);
	}

	@EventListener(ApplicationReadyEvent.class)
	void startConsumers(ApplicationReadyEvent ready) {
		RocketMq rocketMq = ready.getApplicationContext().getBean(RocketMq.class);
		FanOut fanOut = ready.getApplicationContext().getBean(FanOut.class);
		FanOutSettings settings = ready.getApplicationContext().getBean(FanOutSettings.class);
		MessageListenerConcurrently cleanup = ready.getApplicationContext().getBean(RetractionCleanup.class).listener();
		rocketMq.subscribe("feed-fanout-planner", PostPublished.TOPIC, fanOut.planner(), 4);
		if (settings.workersEnabled()) {
			ready.getApplicationContext().getBean(FanOutWorkers.class).start();
		}
		rocketMq.subscribe("feed-retraction-cleanup", PostRetracted.TOPIC, cleanup, 2);
		rocketMq.subscribe("feed-blacklist-release", RELEASE_TOPIC, cleanup, 1);
	}

}
