package dev.feedplatform.detailaggregator.comment;

import org.apache.ibatis.annotations.Mapper;
import org.mybatis.spring.annotation.MapperScan;

import org.springframework.context.annotation.Configuration;

/** The comments' MyBatis mapper (this package only: it owns {@code comments}). */
@Configuration(proxyBeanMethods = false)
@MapperScan(basePackageClasses = CommentConfiguration.class, annotationClass = Mapper.class)
class CommentConfiguration {

}
