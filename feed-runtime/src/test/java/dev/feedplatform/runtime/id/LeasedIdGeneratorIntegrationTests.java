package dev.feedplatform.runtime.id;

import java.util.HashSet;
import java.util.Set;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.ProjectRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Worker slots leased in the project's Redis: two instances never share one, a successor starts above its floor. */
class LeasedIdGeneratorIntegrationTests {

	static ProjectRedis project;

	static StringRedisTemplate redis;

	@BeforeAll
	static void connect() {
		project = new ProjectRedis();
		redis = project.template();
	}

	@AfterAll
	static void close() {
		project.close();
	}

	@Test
	void twoInstancesLeaseDifferentSlotsAndMintDistinctIds() {
		LeasedIdGenerator a = new LeasedIdGenerator(redis);
		LeasedIdGenerator b = new LeasedIdGenerator(redis);
		try {
			assertThat(a.workerId()).isNotEqualTo(b.workerId());
			Set<Long> ids = new HashSet<>();
			for (int i = 0; i < 2000; i++) {
				assertThat(ids.add(a.next())).isTrue();
				assertThat(ids.add(b.next())).isTrue();
			}
		}
		finally {
			a.destroy();
			b.destroy();
		}
	}

	@Test
	void theNextHolderOfASlotStartsAboveEverythingItsPredecessorMinted() {
		LeasedIdGenerator first = new LeasedIdGenerator(redis);
		int slot = first.workerId();
		long last = 0;
		for (int i = 0; i < 5000; i++) { // > 64 per ms: runs ahead of the wall clock
			last = first.next();
		}
		first.destroy();
		// Occupy every other free slot so the successor must take the same one.
		java.util.List<LeasedIdGenerator> others = new java.util.ArrayList<>();
		try {
			LeasedIdGenerator successor = null;
			while (successor == null) {
				LeasedIdGenerator next = new LeasedIdGenerator(redis);
				if (next.workerId() == slot) {
					successor = next;
				}
				else {
					others.add(next);
				}
			}
			others.add(successor);
			assertThat(successor.next()).isGreaterThan(last);
			assertThat(redis.hasKey(RedisKeys.idWorker(slot))).isTrue();
		}
		finally {
			others.forEach(LeasedIdGenerator::destroy);
		}
	}

}
