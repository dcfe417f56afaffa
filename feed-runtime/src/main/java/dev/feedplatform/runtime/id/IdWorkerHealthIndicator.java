package dev.feedplatform.runtime.id;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code idWorker} in /actuator/health: DOWN while this instance holds no valid id worker
 * lease, which is exactly when every write that mints an id answers 503 (issue 14).
 */
public class IdWorkerHealthIndicator extends AbstractHealthIndicator {

	private final LeasedIdGenerator ids;

	public IdWorkerHealthIndicator(LeasedIdGenerator ids) {
		super("id worker health check failed");
		this.ids = ids;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		if (this.ids.minting()) {
			builder.up().withDetail("slot", this.ids.workerId());
		}
		else {
			builder.down().withDetail("reason", "no id worker lease; writes that mint ids answer 503");
		}
	}

}
