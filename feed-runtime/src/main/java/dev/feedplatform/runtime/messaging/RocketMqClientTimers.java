package dev.feedplatform.runtime.messaging;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.rocketmq.client.impl.consumer.ProcessQueue;
import org.slf4j.Logger;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * The RocketMQ client's rebalance and lock timers, set from the application's settings
 * ({@code feed.rocketmq.client.*}, milliseconds) before the context starts.
 *
 * <p>
 * Why JVM properties: the RocketMQ 5.5 client has no per-client setter for these. It
 * reads each one once, from a JVM system property, into a {@code static final} of
 * {@code ProcessQueue} or {@code RebalanceService} when that class loads. So the only
 * place to set them is before any RocketMQ class loads: here, an environment
 * post-processor, which runs before the first bean is created, with the values taken from
 * the ordinary property sources (defaults in {@code feed-platform-defaults}, then
 * {@code application.properties}, the environment, the command line). A {@code -D} for
 * the RocketMQ property itself wins over all of them (it is never overwritten), and
 * {@link RocketMqConfiguration} warns at start-up if the lock timers in effect are not
 * the configured ones (RocketMQ loaded earlier in this JVM, or with other values).
 *
 * <p>
 * Why these values (issue 9, issue 12):
 * <ul>
 * <li>Orderly queues (the barrage router's) are locked to one consumer by the broker,
 * which keeps a lock 60 s by default after its holder stops renewing it: a router killed
 * with SIGKILL stalled its rooms for a minute or more. The project's broker keeps locks
 * 15 s ({@code bin/platform} sets {@code rocketmq.broker.rebalance.lockMaxLiveTime});
 * clients renew every 5 s ({@code lock-interval}), stop consuming a queue whose lock they
 * could not renew for 12 s ({@code lock-max-live}, before the broker may hand it on:
 * never two consumers of one queue), and rebalance every 5 s
 * ({@code rebalance-interval}), so a survivor takes the queues over soon after the locks
 * lapse.</li>
 * <li>A queue whose pull request the client lost (seen after a broker kill: one queue of
 * a group took no message for over a minute while the others did) is only noticed when
 * the rebalance finds it idle for {@code pull-max-idle}, 120 s by default; it is then
 * dropped and pulled afresh. A healthy queue is pulled again at least every 15 s (the
 * broker holds an idle pull that long), so 25 s only trips on a lost request. With 60 s a
 * broker kill left a post's fan-out 120 s late. A false trip costs little: the queue is
 * re-pulled from its committed offset and consumers are idempotent.</li>
 * </ul>
 */
public class RocketMqClientTimers implements EnvironmentPostProcessor, Ordered {

	/** Setting (this project's) → the RocketMQ client's JVM property. */
	static final Map<String, String> PROPERTIES = Map.of("feed.rocketmq.client.pull-max-idle",
			"rocketmq.client.pull.pullMaxIdleTime", "feed.rocketmq.client.lock-interval",
			"rocketmq.client.rebalance.lockInterval", "feed.rocketmq.client.lock-max-live",
			"rocketmq.client.rebalance.lockMaxLiveTime", "feed.rocketmq.client.rebalance-interval",
			"rocketmq.client.rebalance.waitInterval");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		PROPERTIES.forEach((setting, property) -> {
			Long millis = environment.getProperty(setting, Long.class);
			if (millis != null && System.getProperties().putIfAbsent(property, Long.toString(millis)) == null) {
				APPLIED.add(property);
			}
		});
	}

	/** After {@code PlatformDefaults}, whose property file holds the defaults. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/**
	 * The client properties this post-processor set (in any context of this JVM), as
	 * opposed to ones given on the command line.
	 */
	private static final Set<String> APPLIED = ConcurrentHashMap.newKeySet();

	/**
	 * Warns when the lock timers RocketMQ loaded are not the ones this context asks for:
	 * its classes loaded before the environment was prepared (the post-processor did not
	 * run, or ran too late), or an earlier context in this JVM set other values. A
	 * {@code -D} for the client's own property is what is expected, not a mismatch. Only
	 * the two lock timers can be read back ({@code ProcessQueue}'s public constants); the
	 * idle and rebalance timers are private to the client.
	 */
	static void warnIfNotInEffect(Environment environment, Logger log) {
		long lockMaxLive = expected(environment, "feed.rocketmq.client.lock-max-live", 30_000);
		long lockInterval = expected(environment, "feed.rocketmq.client.lock-interval", 20_000);
		if (ProcessQueue.REBALANCE_LOCK_MAX_LIVE_TIME != lockMaxLive
				|| ProcessQueue.REBALANCE_LOCK_INTERVAL != lockInterval) {
			log.warn(
					"RocketMQ client lock timers in effect are {} ms / {} ms, not the configured {} ms / {} ms: "
							+ "the client read them before they were set (see RocketMqClientTimers)",
					ProcessQueue.REBALANCE_LOCK_MAX_LIVE_TIME, ProcessQueue.REBALANCE_LOCK_INTERVAL, lockMaxLive,
					lockInterval);
		}
	}

	private static long expected(Environment environment, String setting, long libraryDefault) {
		String property = PROPERTIES.get(setting);
		String given = System.getProperty(property);
		if (given != null && !APPLIED.contains(property)) {
			return Long.parseLong(given); // a -D wins
		}
		return environment.getProperty(setting, Long.class, libraryDefault);
	}

}
