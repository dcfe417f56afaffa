package dev.feedplatform.runtime.id;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.ProjectDb;
import dev.feedplatform.runtime.ProjectRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Worker slots leased in the project's Redis with floors recorded in its MariaDB: two
 * instances never share a slot, a successor starts above its floor, and when Redis loses
 * a slot's keys while its holder still mints, the instance that takes the slot next never
 * repeats one of its ids while the old holder pauses and leases a slot again (issue 14).
 */
class LeasedIdGeneratorIntegrationTests {

	static ProjectRedis project;

	static StringRedisTemplate redis;

	static WorkerFloors floors;

	@BeforeAll
	static void connect() throws Exception {
		project = new ProjectRedis();
		redis = project.template();
		floors = new JdbcWorkerFloors(ProjectDb.migrated());
	}

	@AfterAll
	static void close() {
		project.close();
	}

	@Test
	void twoInstancesLeaseDifferentSlotsAndMintDistinctIds() {
		LeasedIdGenerator a = new LeasedIdGenerator(redis, floors);
		LeasedIdGenerator b = new LeasedIdGenerator(redis, floors);
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
		LeasedIdGenerator first = new LeasedIdGenerator(redis, floors);
		int slot = first.workerId();
		long last = 0;
		for (int i = 0; i < 5000; i++) { // > 64 per ms: runs ahead of the wall clock
			last = first.next();
		}
		first.destroy();
		List<LeasedIdGenerator> others = new ArrayList<>();
		try {
			fillAllSlots(Duration.ofSeconds(30), Duration.ofSeconds(60), others);
			LeasedIdGenerator successor = others.stream().filter(g -> g.workerId() == slot).findFirst().orElseThrow();
			assertThat(successor.next()).isGreaterThan(last);
			assertThat(redis.hasKey(RedisKeys.idWorker(slot))).isTrue();
		}
		finally {
			others.forEach(LeasedIdGenerator::destroy);
		}
	}

	@Test
	void whenRedisLosesTheLeaseTheNextHolderNeverRepeatsAnIdAndTheOldHolderLeasesAgain() throws Exception {
		Duration lease = Duration.ofMillis(1500);
		LeasedIdGenerator old = new LeasedIdGenerator(redis, floors, lease, Duration.ofSeconds(3));
		int slot = old.workerId();
		Set<Long> minted = ConcurrentHashMap.newKeySet();
		AtomicInteger duplicates = new AtomicInteger();
		AtomicInteger refused = new AtomicInteger();
		AtomicBoolean stop = new AtomicBoolean();
		Thread oldMinter = Thread.ofPlatform().start(() -> {
			while (!stop.get()) {
				try {
					if (!minted.add(old.next())) {
						duplicates.incrementAndGet();
					}
				}
				catch (Problem paused) {
					assertThat(paused.status()).isEqualTo(503);
					refused.incrementAndGet();
				}
			}
		});
		List<LeasedIdGenerator> others = new ArrayList<>();
		try {
			fillAllSlots(lease, Duration.ofSeconds(3), others);
			// What Redis restarting empty does to this slot: lease and floor gone, the
			// holder unaware.
			redis.delete(List.of(RedisKeys.idWorker(slot), RedisKeys.idWorkerFloor(slot)));
			LeasedIdGenerator successor = new LeasedIdGenerator(redis, floors, lease, Duration.ofSeconds(3));
			others.add(successor);
			assertThat(successor.workerId()).isEqualTo(slot);
			for (int i = 0; i < 20_000; i++) {
				if (!minted.add(successor.next())) {
					duplicates.incrementAndGet();
				}
			}
			// Free one slot for the old holder, which must find its lease gone and lease
			// anew.
			others.remove(0).destroy();
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while ((old.workerId() == slot || !old.minting()) && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(old.minting()).as("the old holder leased a slot again").isTrue();
			assertThat(old.workerId()).isNotEqualTo(slot);
			int before = minted.size();
			long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (minted.size() == before && System.nanoTime() < until) {
				Thread.sleep(50);
			}
			assertThat(minted.size()).as("the old holder mints again").isGreaterThan(before);
		}
		finally {
			stop.set(true);
			oldMinter.join();
			old.destroy();
			others.forEach(LeasedIdGenerator::destroy);
		}
		assertThat(duplicates.get()).isZero();
		assertThat(refused.get()).as("the old holder refused while it held no lease").isPositive();
	}

	/** Leases every free slot into {@code held}. */
	private static void fillAllSlots(Duration lease, Duration horizon, List<LeasedIdGenerator> held) {
		while (true) {
			try {
				held.add(new LeasedIdGenerator(redis, floors, lease, horizon));
			}
			catch (IllegalStateException full) {
				return;
			}
		}
	}

}
