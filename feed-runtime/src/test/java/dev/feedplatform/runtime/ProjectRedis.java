package dev.feedplatform.runtime;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The project's own Redis (bin/platform, {@code FEED_REDIS_PORT}) for runtime tests that
 * need no Spring context.
 */
public final class ProjectRedis implements AutoCloseable {

	private final LettuceConnectionFactory connections;

	private final StringRedisTemplate template;

	public ProjectRedis() {
		int port = Integer.parseInt(System.getenv().getOrDefault("FEED_REDIS_PORT", "16379"));
		this.connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
		this.connections.afterPropertiesSet();
		this.connections.start();
		this.template = new StringRedisTemplate(this.connections);
	}

	public StringRedisTemplate template() {
		return this.template;
	}

	@Override
	public void close() {
		this.connections.destroy();
	}

}
