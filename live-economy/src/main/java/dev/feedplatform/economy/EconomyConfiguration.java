package dev.feedplatform.economy;

import org.apache.ibatis.annotations.Mapper;
import org.mybatis.spring.annotation.MapperScan;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * The economy's MyBatis mappers (annotated interfaces in each feature package, which owns
 * its tables: the SQL sits beside the code that relies on it, and every statement is
 * short). Rows map onto records by constructor parameter names (the build keeps them with
 * {@code -parameters}; the rule is in the runtime's
 * {@code feed-platform-defaults.properties}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EconomySettings.class)
@MapperScan(basePackageClasses = EconomyConfiguration.class, annotationClass = Mapper.class)
class EconomyConfiguration {

}
