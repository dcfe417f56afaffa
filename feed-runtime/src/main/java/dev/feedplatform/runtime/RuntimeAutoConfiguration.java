package dev.feedplatform.runtime;

import java.time.Clock;
import java.util.List;

import dev.feedplatform.runtime.auth.AuthConfiguration;
import dev.feedplatform.runtime.cache.CacheGeneration;
import dev.feedplatform.runtime.id.IdWorkerHealthIndicator;
import dev.feedplatform.runtime.id.JdbcWorkerFloors;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import dev.feedplatform.runtime.id.WorkerFloors;
import dev.feedplatform.runtime.messaging.RocketMqConfiguration;
import dev.feedplatform.runtime.messaging.RocketMqSettings;
import dev.feedplatform.runtime.redis.PipelineFlushing;
import dev.feedplatform.runtime.redis.RedissonClients;
import dev.feedplatform.runtime.redis.ScriptSlots;
import dev.feedplatform.runtime.retry.LockConflicts;
import dev.feedplatform.runtime.web.ProblemDetailsAdvice;
import dev.feedplatform.runtime.web.ProblemErrorController;
import dev.feedplatform.runtime.web.RequestSizeLimitFilter;
import dev.feedplatform.runtime.web.TomcatProblemPages;
import org.redisson.api.RedissonClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What every module gets by depending on feed-runtime: problem details, authentication,
 * ids, RocketMQ clients and their health, the blacklist, generation-guarded user caches
 * (the following set every module reads), a clock tests can replace.
 */
// Before Boot's error MVC configuration: its default /error controller backs off only
// when ours is already defined.
@AutoConfiguration(
		afterName = { "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration" },
		beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration")
@EnableConfigurationProperties(RocketMqSettings.class)
@Import({ AuthConfiguration.class, ProblemDetailsAdvice.class, ProblemErrorController.class,
		RocketMqConfiguration.class })
public class RuntimeAutoConfiguration {

	/**
	 * Four times the largest legitimate body (a post with 10,000 characters and its media
	 * list).
	 */
	static final long MAX_REQUEST_BYTES = 256 * 1024;

	@Bean
	@ConditionalOnMissingBean
	Clock clock() {
		return Clock.systemUTC();
	}

	/** Static: a post-processor must exist before the connection factory it adjusts. */
	@Bean
	static PipelineFlushing pipelineFlushing() {
		return new PipelineFlushing();
	}

	/**
	 * Every {@code RedisTemplate}'s scripts checked for keys in one hash slot
	 * ({@link ScriptSlots}); static, like {@link #pipelineFlushing}.
	 */
	@Bean
	static BeanPostProcessor scriptSlotCheck() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String name) {
				if (bean instanceof RedisTemplate<?, ?> template) {
					ScriptSlots.install(template);
				}
				return bean;
			}
		};
	}

	/**
	 * Redisson on the platform's Redis ({@code spring.data.redis.host/port}, or the
	 * cluster's {@code spring.data.redis.cluster.nodes} when set: issue 21): rate limits,
	 * locks, leases.
	 */
	@Bean(destroyMethod = "shutdown")
	@ConditionalOnMissingBean
	RedissonClient redissonClient(@Value("${spring.data.redis.host:127.0.0.1}") String host,
			@Value("${spring.data.redis.port:6379}") int port,
			@Value("${spring.data.redis.cluster.nodes:}") List<String> clusterNodes) {
		List<String> nodes = clusterNodes.stream().filter((node) -> !node.isBlank()).toList();
		return nodes.isEmpty() ? RedissonClients.standalone(host, port) : RedissonClients.cluster(nodes);
	}

	@Bean
	LeasedIdGenerator leasedIdGenerator(StringRedisTemplate redis, ObjectProvider<JdbcClient> db) {
		JdbcClient jdbc = db.getIfAvailable();
		return new LeasedIdGenerator(redis, jdbc != null ? new JdbcWorkerFloors(jdbc) : WorkerFloors.NONE);
	}

	@Bean
	HealthIndicator idWorkerHealthIndicator(LeasedIdGenerator ids) {
		return new IdWorkerHealthIndicator(ids);
	}

	@Bean
	LockConflicts lockConflicts() {
		return new LockConflicts();
	}

	@Bean
	CacheGeneration cacheGeneration(StringRedisTemplate redis) {
		return new CacheGeneration(redis);
	}

	@Bean
	@ConditionalOnClass(name = "org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory")
	TomcatProblemPages tomcatProblemPages() {
		return new TomcatProblemPages();
	}

	@Bean
	FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter() {
		FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestSizeLimitFilter(MAX_REQUEST_BYTES));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

}
