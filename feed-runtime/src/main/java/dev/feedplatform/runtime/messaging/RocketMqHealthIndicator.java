package dev.feedplatform.runtime.messaging;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** Reports RocketMQ as up when the NameServer answers and knows at least one broker. */
class RocketMqHealthIndicator extends AbstractHealthIndicator {

	private final RocketMq rocketMq;

	private final RocketMqSettings settings;

	RocketMqHealthIndicator(RocketMq rocketMq, RocketMqSettings settings) {
		super("RocketMQ health check failed");
		this.rocketMq = rocketMq;
		this.settings = settings;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		int brokers = this.rocketMq.liveBrokers();
		builder.withDetail("nameServer", this.settings.nameServer()).withDetail("brokers", brokers);
		if (brokers > 0) {
			builder.up();
		}
		else {
			builder.down();
		}
	}

}
