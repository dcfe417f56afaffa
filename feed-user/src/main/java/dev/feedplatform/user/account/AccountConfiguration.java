package dev.feedplatform.user.account;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ LoginSettings.class, ModeratorSettings.class })
class AccountConfiguration {

}
