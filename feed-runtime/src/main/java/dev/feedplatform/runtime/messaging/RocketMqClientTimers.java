package dev.feedplatform.runtime.messaging;

import java.util.Map;

import org.apache.rocketmq.client.impl.consumer.ProcessQueue;
import org.slf4j.Logger;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

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
 * {@link RocketMq} warns at start-up if the values in effect are not the configured ones
 * (RocketMQ loaded earlier in this JVM).
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
			if (millis != null) {
				System.getProperties().putIfAbsent(property, Long.toString(millis));
			}
		});
	}

	/** After {@code PlatformDefaults}, whose property file holds the defaults. */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/**
	 * Warns when the lock timers RocketMQ loaded are not the ones set for it (its classes
	 * loaded before this application's environment was prepared, or another application
	 * in this JVM asked for others): queue hand-over after a crash then takes the
	 * library's times, not the configured ones.
	 */
	static void warnIfNotInEffect(Logger log) {
		long lockMaxLive = Long.getLong("rocketmq.client.rebalance.lockMaxLiveTime", 30_000);
		long lockInterval = Long.getLong("rocketmq.client.rebalance.lockInterval", 20_000);
		if (ProcessQueue.REBALANCE_LOCK_MAX_LIVE_TIME != lockMaxLive
				|| ProcessQueue.REBALANCE_LOCK_INTERVAL != lockInterval) {
			log.warn(
					"RocketMQ client lock timers in effect are {} ms / {} ms, not the configured {} ms / {} ms: "
							+ "its classes loaded before they were set (see RocketMqClientTimers)",
					ProcessQueue.REBALANCE_LOCK_MAX_LIVE_TIME, ProcessQueue.REBALANCE_LOCK_INTERVAL, lockMaxLive,
					lockInterval);
		}
	}

}
