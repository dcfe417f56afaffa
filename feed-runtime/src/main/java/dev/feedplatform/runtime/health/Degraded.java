package dev.feedplatform.runtime.health;

import org.springframework.boot.health.contributor.Status;

/**
 * A health status between UP and DOWN: a part users can do without for a while is failing
 * (the search node, the binlog sync, the RocketMQ NameServer while brokers still answer),
 * so the instance still serves (HTTP 200, see the platform defaults' status mapping) but
 * an operator must look (issue 14).
 */
public final class Degraded {

	public static final Status STATUS = new Status("DEGRADED");

	private Degraded() {
	}

}
