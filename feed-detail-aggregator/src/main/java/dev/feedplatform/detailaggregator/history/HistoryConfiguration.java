package dev.feedplatform.detailaggregator.history;

import org.apache.ibatis.annotations.Mapper;
import org.mybatis.spring.annotation.MapperScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * View history's mapper (this package only: it owns {@code view_history}) and settings.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HistorySettings.class)
@MapperScan(basePackageClasses = HistoryConfiguration.class, annotationClass = Mapper.class)
class HistoryConfiguration {

}
