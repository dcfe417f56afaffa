package dev.feedplatform.user.profile;

import org.apache.ibatis.annotations.Mapper;
import org.mybatis.spring.annotation.MapperScan;

import org.springframework.context.annotation.Configuration;

/**
 * The profiles' MyBatis mapper (this package only: it owns the profile reads of
 * {@code users}).
 */
@Configuration(proxyBeanMethods = false)
@MapperScan(basePackageClasses = ProfileConfiguration.class, annotationClass = Mapper.class)
class ProfileConfiguration {

}
