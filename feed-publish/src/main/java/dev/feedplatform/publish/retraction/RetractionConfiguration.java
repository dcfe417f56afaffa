package dev.feedplatform.publish.retraction;

import dev.feedplatform.common.events.PostRetracted;
import dev.feedplatform.runtime.messaging.Subscription;
import dev.feedplatform.runtime.messaging.TopicDeclaration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Retraction's topics and its two-stage cleanup consumers (declared; started once the
 * application is ready).
 */
@Configuration(proxyBeanMethods = false)
class RetractionConfiguration {

	@Bean
	TopicDeclaration postRetractedTopic() {
		return new TopicDeclaration(PostRetracted.TOPIC, 4);
	}

	@Bean
	TopicDeclaration blacklistReleaseTopic() {
		return new TopicDeclaration(RetractionCleanup.RELEASE_TOPIC, 4);
	}

	@Bean
	Subscription retractionCleanupSubscription(RetractionCleanup cleanup) {
		return new Subscription("feed-retraction-cleanup", PostRetracted.TOPIC, cleanup.listener(), 2);
	}

	@Bean
	Subscription blacklistReleaseSubscription(RetractionCleanup cleanup) {
		return new Subscription("feed-blacklist-release", RetractionCleanup.RELEASE_TOPIC, cleanup.listener(), 1);
	}

}
