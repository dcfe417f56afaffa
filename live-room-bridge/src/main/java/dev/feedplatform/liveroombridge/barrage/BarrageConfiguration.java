package dev.feedplatform.liveroombridge.barrage;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.runtime.messaging.TopicDeclaration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/** The barrage topic, its orderly router, and this node's delivery channel. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BarrageSettings.class)
class BarrageConfiguration {

	@Bean
	TopicDeclaration barrageTopic() {
		return new TopicDeclaration(BarrageIngress.TOPIC, 8);
	}

	@Bean
	RedisMessageListenerContainer barrageDeliveryListener(RedisConnectionFactory connections, NodeDelivery delivery, BridgeNode node) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connections);
		container.addMessageListener(delivery, new ChannelTopic(RedisKeys.bridgeNodeChannel(node.id())));
		return container;
	}

	@EventListener(ApplicationReadyEvent.class)
	void subscribe(ApplicationReadyEvent ready) {
		BarrageRouter router = ready.getApplicationContext().getBean(BarrageRouter.class);
		BarrageSettings settings = ready.getApplicationContext().getBean(BarrageSettings.class);
		ready.getApplicationContext().getBean(RocketMq.class).subscribe(settings.routerGroup(), BarrageIngress.TOPIC, router.listener(), 4)
			.setConsumeMessageBatchMaxSize(64);
	}

}
