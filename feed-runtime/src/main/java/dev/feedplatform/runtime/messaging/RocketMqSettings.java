package dev.feedplatform.runtime.messaging;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * RocketMQ client settings ({@code feed.rocketmq.*}).
 *
 * @param nameServer NameServer address list, {@code host:port;host:port}
 * @param routeWait how long start-up waits for a created topic's route to reach the
 * NameServer (observed ~6 s on this machine kind)
 * @param queuesPerTopic queues for topics that don't ask for a number: the consumer
 * parallelism cap
 * @param namespace prefixed (with {@code -}) to every topic and group this process uses;
 * empty for the platform. The benchmarks run the platform in their own JVM beside a
 * running one on the same broker: with a namespace of their own, the running app's
 * consumers can't take their messages (issue 19)
 */
@ConfigurationProperties("feed.rocketmq")
public record RocketMqSettings(@DefaultValue("127.0.0.1:19876") String nameServer,
		@DefaultValue("30s") Duration routeWait, @DefaultValue("8") int queuesPerTopic,
		@DefaultValue("") String namespace) {
}
