package dev.feedplatform.runtime.redis;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * The process's Redisson client (locks, leases and rate limits across nodes: the design card's
 * library, so none of them is home-made), on the same Redis as Spring Data's Lettuce client. Small
 * pools and few threads: Redisson's defaults size for a dedicated cache server, and this process
 * shares two cores with everything else.
 */
public final class RedissonClients {

	private RedissonClients() {
	}

	/** A client for the standalone Redis at {@code host:port}; the caller shuts it down. */
	public static RedissonClient standalone(String host, int port) {
		Config config = new Config();
		config.setCodec(StringCodec.INSTANCE);
		config.setThreads(2);
		config.setNettyThreads(4);
		config.useSingleServer()
			.setAddress("redis://" + host + ":" + port)
			.setConnectionMinimumIdleSize(2)
			.setConnectionPoolSize(16)
			.setSubscriptionConnectionMinimumIdleSize(0)
			.setSubscriptionConnectionPoolSize(4)
			.setTimeout(3_000)
			.setRetryAttempts(1);
		return Redisson.create(config);
	}

}
