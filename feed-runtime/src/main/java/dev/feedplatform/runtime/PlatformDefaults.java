package dev.feedplatform.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Adds {@code feed-platform-defaults.properties} as the lowest-precedence property source
 * of every application that uses this runtime (the assembled app, a module run alone,
 * each module's tests), so they all find the project's local Redis, MariaDB and RocketMQ
 * the same way and render JSON the same way. Anything in {@code application.properties},
 * the environment or the command line wins.
 */
public class PlatformDefaults implements EnvironmentPostProcessor, Ordered {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		try {
			environment.getPropertySources()
				.addLast(new ResourcePropertySource("feed-platform-defaults",
						new ClassPathResource("feed-platform-defaults.properties")));
			String clusterNodes = environment.getProperty("FEED_REDIS_CLUSTER_NODES", "");
			if (!clusterNodes.isBlank() && !environment.containsProperty("spring.data.redis.cluster.nodes")) {
				// Issue 21: the project's Redis Cluster (bin/platform --cluster), only
				// when asked: an empty node list would still switch Boot to cluster mode.
				// Below the defaults file, so anything the application sets wins; the
				// topology refresh settings are in the defaults file.
				environment.getPropertySources()
					.addAfter("feed-platform-defaults",
							new MapPropertySource("feed-redis-cluster", Map.of("spring.data.redis.cluster.nodes",
									clusterNodes, "spring.data.redis.cluster.max-redirects", "5")));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Before the post-processors that read its defaults ({@code RocketMqClientTimers}).
	 */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 10;
	}

}
