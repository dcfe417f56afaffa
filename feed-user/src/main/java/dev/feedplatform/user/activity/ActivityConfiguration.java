package dev.feedplatform.user.activity;

import org.apache.ibatis.annotations.Mapper;
import org.mybatis.spring.annotation.MapperScan;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every authenticated API call counts as activity; the activity's MyBatis mapper (this
 * package only: it owns {@code users.last_active_at}).
 */
@Configuration(proxyBeanMethods = false)
@MapperScan(basePackageClasses = ActivityConfiguration.class, annotationClass = Mapper.class)
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
