package dev.feedplatform.user.account;

import org.apache.ibatis.annotations.Mapper;
import org.mybatis.spring.annotation.MapperScan;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * Login and moderator settings, and the accounts' MyBatis mapper (this package only: it
 * owns the account columns of {@code users}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ LoginSettings.class, ModeratorSettings.class })
@MapperScan(basePackageClasses = AccountConfiguration.class, annotationClass = Mapper.class)
class AccountConfiguration {

}
