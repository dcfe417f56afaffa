package dev.feedplatform.liveroombridge.im;

import org.apache.ibatis.annotations.Mapper;
import org.mybatis.spring.annotation.MapperScan;

import dev.feedplatform.liveroombridge.barrage.BridgeNode;
import dev.feedplatform.runtime.messaging.Subscription;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * IM's MyBatis mappers (this package only: the feature owns its tables) and this node's
 * delivery subscription. Rows map onto records by their constructor's parameter names
 * (the build keeps them with {@code -parameters}; the rule is in the runtime's
 * {@code feed-platform-defaults.properties}), so a column list is checked against a
 * record's components, not against their order.
 */
@Configuration(proxyBeanMethods = false)
@MapperScan(basePackageClasses = ImConfiguration.class, annotationClass = Mapper.class)
class ImConfiguration {

	/** This node's chat deliveries: the messages the router addressed to it. */
	@Bean
	Subscription imNodeDeliveriesSubscription(ImGateway gateway, BridgeNode node) {
		return gateway.nodeDeliveries(node.id());
	}

}
