package dev.feedplatform.publish.fanout;

import dev.feedplatform.publish.events.FanOutBatch;
import dev.feedplatform.common.events.PostChanged;
import dev.feedplatform.publish.events.PostPublished;
import dev.feedplatform.runtime.messaging.Subscription;
import dev.feedplatform.runtime.messaging.TopicDeclaration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Fan-out's topics and its planner (a declared subscription: it starts once the
 * application is ready); the workers join in {@link FanOutWorkers}.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(FanOutSettings.class)
public class FanOutConfiguration {

	@Bean
	TopicDeclaration postPublishedTopic() {
		return new TopicDeclaration(PostPublished.TOPIC, 8);
	}

	/**
	 * More queues than any instance's worker threads: batches spread over every instance.
	 */
	@Bean
	TopicDeclaration fanOutBatchTopic() {
		return new TopicDeclaration(FanOutBatch.TOPIC, 16);
	}

	@Bean
	TopicDeclaration postChangedTopic() {
		return new TopicDeclaration(PostChanged.TOPIC, 4);
	}

	@Bean
	Subscription fanOutPlannerSubscription(FanOut fanOut) {
		return new Subscription("feed-fanout-planner", PostPublished.TOPIC, fanOut.planner(), 4);
	}

}
