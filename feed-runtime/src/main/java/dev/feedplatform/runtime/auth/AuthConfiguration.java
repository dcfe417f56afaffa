package dev.feedplatform.runtime.auth;

import java.nio.charset.StandardCharsets;

import org.springframework.core.env.Environment;

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

	/**
	 * The demo profile's public default: anyone can forge a moderator token with it
	 * (issue 14).
	 */
	static final String DEMO_SECRET = "local-demo-secret-change-me-in-production-0123456789";

	@Bean
	TokenCodec tokenCodec(AuthSettings settings, Environment environment) {
		String secret = settings.tokenSecret();
		if (secret == null || secret.isBlank()
				|| secret.getBytes(StandardCharsets.UTF_8).length < TokenCodec.MIN_SECRET_BYTES) {
			throw new IllegalStateException("feed.auth.token-secret (FEED_AUTH_TOKEN_SECRET) must be set, at least "
					+ TokenCodec.MIN_SECRET_BYTES + " bytes, the same on every instance");
		}
		if (secret.equals(DEMO_SECRET) && !environment.matchesProfiles("demo")) {
			throw new IllegalStateException(
					"feed.auth.token-secret is the demo profile's public default; set FEED_AUTH_TOKEN_SECRET "
							+ "to a secret of your own (at least " + TokenCodec.MIN_SECRET_BYTES + " bytes)");
		}
		return new TokenCodec(secret);
	}

	@Bean
	FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(TokenCodec tokens, Clock clock) {
		FilterRegistrationBean<BearerTokenFilter> registration = new FilterRegistrationBean<>(
				new BearerTokenFilter(tokens, clock));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
		return registration;
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(new ViewerArgumentResolver());
	}

}
