package dev.feedplatform.runtime.redis;

import java.util.List;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * The process's Redisson client (locks, leases and rate limits across nodes: the design
 * card's library, so none of them is home-made), on the same Redis as Spring Data's
 * Lettuce client. Small pools and few threads: Redisson's defaults size for a dedicated
 * cache server, and this process shares two cores with everything else.
 */
public final class RedissonClients {

	/** How long a lock held through Redisson's watchdog outlives a holder that died. */
	public static final long LOCK_WATCHDOG_MILLIS = 10_000;

	private RedissonClients() {
	}

	/**
	 * A client for the standalone Redis at {@code host:port}; the caller shuts it down.
	 */
	public static RedissonClient standalone(String host, int port) {
		Config config = base();
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

	/**
	 * A client for the Redis Cluster reached through these seed nodes ({@code host:port}
	 * each; issue 21). It learns the rest of the topology from them and follows a
	 * failover (a replica promoted) by rescanning it every 2 s.
	 */
	public static RedissonClient cluster(List<String> nodes) {
		Config config = base();
		config.useClusterServers()
			.addNodeAddress(nodes.stream().map((node) -> "redis://" + node.strip()).toArray(String[]::new))
			.setScanInterval(2_000)
			.setMasterConnectionMinimumIdleSize(2)
			.setMasterConnectionPoolSize(16)
			.setSlaveConnectionMinimumIdleSize(0)
			.setSubscriptionConnectionMinimumIdleSize(0)
			.setSubscriptionConnectionPoolSize(4)
			.setTimeout(3_000)
			.setRetryAttempts(3);
		return Redisson.create(config);
	}

	private static Config base() {
		Config config = new Config();
		config.setCodec(StringCodec.INSTANCE);
		config.setThreads(2);
		config.setNettyThreads(4);
		// A lock taken without a lease time (Leadership, the core-fan pick) is renewed
		// every third of this while its holder lives; a dead holder blocks the others at
		// most this long (default 30 s).
		config.setLockWatchdogTimeout(LOCK_WATCHDOG_MILLIS);
		return config;
	}

}
