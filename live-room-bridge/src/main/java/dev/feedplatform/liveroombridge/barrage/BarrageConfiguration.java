package dev.feedplatform.liveroombridge.barrage;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.messaging.Subscription;
import dev.feedplatform.runtime.messaging.TopicDeclaration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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

	/**
	 * One thread hands this node's batches to {@link NodeDelivery}, in the order they
	 * were published: the container's default executor starts a thread per message, and
	 * two batches of one room then overtook each other (b6 before b5 in
	 * BarrageIntegrationTests). Not a bean of its own: an {@code Executor} bean would
	 * replace Spring Boot's application task executor.
	 */
	@Bean
	RedisMessageListenerContainer barrageDeliveryListener(RedisConnectionFactory connections, NodeDelivery delivery,
			BridgeNode node) {
		ExecutorService inOrder = Executors
			.newSingleThreadExecutor(Thread.ofPlatform().name("barrage-node-delivery").daemon().factory());
		RedisMessageListenerContainer container = new RedisMessageListenerContainer() {
			@Override
			public void destroy() throws Exception {
				super.destroy();
				inOrder.shutdown();
			}
		};
		container.setConnectionFactory(connections);
		container.setTaskExecutor(inOrder);
		container.addMessageListener(delivery, new ChannelTopic(RedisKeys.bridgeNodeChannel(node.id())));
		return container;
	}

	@Bean
	Subscription barrageRoutersSubscription(BarrageRouter router, BarrageSettings settings) {
		return new Subscription(settings.routerGroup(), BarrageIngress.TOPIC, router.listener(), 4).inBatchesOf(64);
	}

}
