package dev.feedplatform.detailaggregator.page;

import dev.feedplatform.runtime.messaging.EventJson;
import dev.feedplatform.common.events.PostChanged;
import dev.feedplatform.common.events.PostRetracted;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.messaging.Subscription;
import dev.feedplatform.runtime.messaging.TopicDeclaration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Detail page wiring: settings, the retraction consumer and the invalidation broadcast.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DetailSettings.class)
class DetailConfiguration {

	/**
	 * Declared here too: this module consumes it whether or not the publisher runs in
	 * this app.
	 */
	@Bean
	TopicDeclaration detailPostRetractedTopic() {
		return new TopicDeclaration(PostRetracted.TOPIC, 4);
	}

	@Bean
	TopicDeclaration detailPostChangedTopic() {
		return new TopicDeclaration(PostChanged.TOPIC, 4);
	}

	@Bean
	RedisMessageListenerContainer detailInvalidationListener(RedisConnectionFactory connections,
			DetailInvalidation invalidation) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connections);
		container.addMessageListener(invalidation, new ChannelTopic(RedisKeys.postDetailInvalidations()));
		return container;
	}

	@Bean
	Subscription detailRetractionInvalidationSubscription(DetailInvalidation invalidation) {
		return new Subscription("feed-detail-invalidation", PostRetracted.TOPIC, invalidation
			.onEvent(text -> EventJson.decode(text, PostRetracted.class, PostRetracted::fromText).postId()), 2);
	}

	@Bean
	Subscription detailChangeInvalidationSubscription(DetailInvalidation invalidation) {
		return new Subscription("feed-detail-change-invalidation", PostChanged.TOPIC,
				invalidation.onEvent(text -> EventJson.decode(text, PostChanged.class, PostChanged::fromText).postId()),
				2);
	}

}
