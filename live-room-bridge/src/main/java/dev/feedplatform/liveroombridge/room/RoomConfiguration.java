package dev.feedplatform.liveroombridge.room;

import org.apache.ibatis.annotations.Mapper;
import org.mybatis.spring.annotation.MapperScan;

import org.springframework.context.annotation.Configuration;

/** The rooms' MyBatis mapper (this package only: it owns {@code rooms}). */
@Configuration(proxyBeanMethods = false)
@MapperScan(basePackageClasses = RoomConfiguration.class, annotationClass = Mapper.class)
class RoomConfiguration {

}
