package dev.feedplatform.user.activity;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Every authenticated API call counts as activity. */
@Configuration(proxyBeanMethods = false)
class ActivityConfiguration implements WebMvcConfigurer {

	private final ActivityTracker tracker;

	ActivityConfiguration(ActivityTracker tracker) {
		this.tracker = tracker;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this.tracker).addPathPatterns("/api/**");
	}

}
