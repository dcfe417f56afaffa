package dev.feedplatform.user.follow;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.feedplatform.common.events.FollowChanged;
import dev.feedplatform.runtime.messaging.TopicDeclaration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GraphSettings.class)
class FollowConfiguration {

	@Bean
	TopicDeclaration followChangedTopic() {
		return new TopicDeclaration(FollowChanged.TOPIC, 0);
	}

}
