package dev.feedplatform.user.follow;

import org.apache.ibatis.annotations.Mapper;
import org.mybatis.spring.annotation.MapperScan;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.feedplatform.common.events.FollowChanged;
import dev.feedplatform.runtime.messaging.TopicDeclaration;

/**
 * The follow graph's settings, its event topic and its MyBatis mapper (this package only:
 * it owns {@code follows}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GraphSettings.class)
@MapperScan(basePackageClasses = FollowConfiguration.class, annotationClass = Mapper.class)
class FollowConfiguration {

	@Bean
	TopicDeclaration followChangedTopic() {
		return new TopicDeclaration(FollowChanged.TOPIC, 0);
	}

}
