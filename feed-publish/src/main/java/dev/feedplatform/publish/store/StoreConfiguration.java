package dev.feedplatform.publish.store;

import org.apache.ibatis.annotations.Mapper;
import org.mybatis.spring.annotation.MapperScan;

import org.springframework.context.annotation.Configuration;

/** The posts table's MyBatis mapper (this package only: it owns {@code posts}). */
@Configuration(proxyBeanMethods = false)
@MapperScan(basePackageClasses = StoreConfiguration.class, annotationClass = Mapper.class)
class StoreConfiguration {

}
