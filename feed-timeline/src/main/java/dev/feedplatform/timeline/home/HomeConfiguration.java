package dev.feedplatform.timeline.home;

import dev.feedplatform.common.events.FollowChanged;
import dev.feedplatform.runtime.messaging.Subscription;
import dev.feedplatform.runtime.messaging.TopicDeclaration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TimelineSettings.class)
class HomeConfiguration {

	/** Declared by its consumer too: whichever module starts first creates it. */
	@Bean
	TopicDeclaration timelineFollowChangedTopic() {
		return new TopicDeclaration(FollowChanged.TOPIC, 0);
	}

	@Bean
	Subscription timelineBackfillSubscription(Backfill backfill) {
		return new Subscription("feed-timeline-backfill", FollowChanged.TOPIC, backfill.listener(), 2);
	}

}
