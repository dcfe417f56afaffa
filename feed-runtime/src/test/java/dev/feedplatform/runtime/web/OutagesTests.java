package dev.feedplatform.runtime.web;

import io.lettuce.core.RedisCommandExecutionException;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What counts as an outage (answered 503) and what as a defect (500): Redis Cluster's
 * "not now" replies during a failover are outages (issue 21), an ordinary command error
 * is not.
 */
class OutagesTests {

	@Test
	void aClusterWithUncoveredSlotsIsAnOutage() {
		RuntimeException failure = new RedisSystemException("Error in execution",
				new RedisCommandExecutionException("CLUSTERDOWN The cluster is down"));
		assertThat(Outages.describe(failure)).contains("CLUSTERDOWN");
	}

	@Test
	void aReshardingOrAReplicaWithoutItsMasterIsAnOutage() {
		assertThat(Outages
			.describe(new RedisCommandExecutionException("TRYAGAIN Multiple keys request during rehashing of slot")))
			.isNotNull();
		assertThat(Outages.describe(new RedisCommandExecutionException("MASTERDOWN Link with MASTER is down")))
			.isNotNull();
	}

	@Test
	void anOrdinaryCommandErrorIsADefect() {
		RuntimeException failure = new RedisSystemException("Error in execution", new RedisCommandExecutionException(
				"WRONGTYPE Operation against a key holding the wrong kind of value"));
		assertThat(Outages.describe(failure)).isNull();
		assertThat(Outages.describe(new IllegalStateException("no CLUSTERDOWN here"))).isNull();
	}

}
