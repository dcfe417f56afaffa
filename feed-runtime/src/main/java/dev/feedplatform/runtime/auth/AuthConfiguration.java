package dev.feedplatform.runtime.auth;

import java.time.Clock;
import java.util.List;

import dev.feedplatform.common.auth.TokenCodec;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Token verification for every HTTP API of every module. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuthSettings.class)
public class AuthConfiguration implements WebMvcConfigurer {

	@Bean
	TokenCodec tokenCodec(AuthSettings settings) {
		if (settings.tokenSecret() == null || settings.tokenSecret().isBlank()) {
			throw new IllegalStateException("feed.auth.token-secret (FEED_AUTH_TOKEN_SECRET) must be set, at least "
					+ TokenCodec.MIN_SECRET_BYTES + " bytes, the same on every instance");
		}
		return new TokenCodec(settings.tokenSecret());
	}

	@Bean
	FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(TokenCodec tokens, Clock clock) {
		FilterRegistrationBean<BearerTokenFilter> registration = new FilterRegistrationBean<>(new BearerTokenFilter(tokens, clock));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
		return registration;
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(new ViewerArgumentResolver());
	}

}
