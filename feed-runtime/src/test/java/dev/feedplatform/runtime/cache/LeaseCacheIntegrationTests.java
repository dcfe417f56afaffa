package dev.feedplatform.runtime.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.feedplatform.runtime.ProjectRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lease cache against the project's Redis. The two stale-set races of seed 003 are
 * replayed step by step (loaders parked on latches, so the interleaving is forced, not
 * hoped for), with a plain cache-aside run of the same schedule to show the race is real.
 * Two cache objects stand for two app instances: they share only Redis. The "database" is
 * a value the loaders read.
 */
class LeaseCacheIntegrationTests {

	static ProjectRedis project;

	static StringRedisTemplate redis;

	static final LeaseCache.Settings SETTINGS = new LeaseCache.Settings(Duration.ofMinutes(5), Duration.ofSeconds(30),
			Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofMillis(1), Duration.ofSeconds(5), 0.2);

	@BeforeAll
	static void connect() {
		project = new ProjectRedis();
		redis = project.template();
	}

	@AfterAll
	static void close() {
		project.close();
	}

	final String id = UUID.randomUUID().toString();

	static LeaseCache.Keys keys(String id) {
		return new LeaseCache.Keys("test:{" + id + "}:v", "test:{" + id + "}:lease", "test:{" + id + "}:stale");
	}

	static LeaseCache instance(boolean leases) {
		return new LeaseCache(redis, LeaseCacheIntegrationTests::keys, SETTINGS, leases);
	}

	/**
	 * A loader that reads the database, then parks until released (the slow read of the
	 * seed's service A).
	 */
	static final class ParkedLoader implements Supplier<Optional<String>> {

		final AtomicReference<String> database;

		final CountDownLatch read = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicInteger calls = new AtomicInteger();

		ParkedLoader(AtomicReference<String> database) {
			this.database = database;
		}

		@Override
		public Optional<String> get() {
			String value = this.database.get();
			if (this.calls.incrementAndGet() == 1) {
				this.read.countDown();
				try {
					this.release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return Optional.of(value);
		}

	}

	@Test
	void raceOneAnUpdateDuringALoadNeverLetsTheOldValueLand() throws Exception {
		assertThat(raceOne(true)).isEqualTo("V2");
		assertThat(redis.opsForValue().get(keys(this.id).value())).isEqualTo("V2");
	}

	@Test
	void raceOneWithoutLeasesLeavesTheOldValueInTheCache() throws Exception {
		raceOne(false);
		assertThat(redis.opsForValue().get(keys(this.id).value())).isEqualTo("V1");
	}

	/**
	 * Seed scenario 1: A misses and reads V1; B writes V2 and invalidates; A stores what
	 * it read.
	 */
	private String raceOne(boolean leases) throws Exception {
		AtomicReference<String> database = new AtomicReference<>("V1");
		LeaseCache a = instance(leases);
		ParkedLoader loader = new ParkedLoader(database);
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			Future<LeaseCache.Lookup> serviceA = pool.submit(() -> a.get(this.id, loader));
			assertThat(loader.read.await(5, TimeUnit.SECONDS)).isTrue(); // A has read V1
			database.set("V2"); // B commits V2 ...
			// ... and invalidates, on another instance
			instance(leases).invalidate(this.id);
			loader.release.countDown(); // A now tries to store V1
			return serviceA.get(5, TimeUnit.SECONDS).value().orElseThrow();
		}
	}

	@Test
	void raceTwoALateLoaderCannotOverwriteANewerFill() throws Exception {
		assertThat(raceTwo(true)).isEqualTo("V2");
		assertThat(redis.opsForValue().get(keys(this.id).value())).isEqualTo("V2");
	}

	@Test
	void raceTwoWithoutLeasesLetsTheLateLoaderOverwriteTheNewerValue() throws Exception {
		raceTwo(false);
		assertThat(redis.opsForValue().get(keys(this.id).value())).isEqualTo("V1");
	}

	/**
	 * Seed scenario 2: A reads V1; B writes V2 and invalidates; C misses, loads V2,
	 * fills; A stores V1.
	 */
	private String raceTwo(boolean leases) throws Exception {
		AtomicReference<String> database = new AtomicReference<>("V1");
		LeaseCache a = instance(leases);
		LeaseCache c = instance(leases);
		ParkedLoader loader = new ParkedLoader(database);
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			Future<LeaseCache.Lookup> serviceA = pool.submit(() -> a.get(this.id, loader));
			assertThat(loader.read.await(5, TimeUnit.SECONDS)).isTrue();
			database.set("V2");
			instance(leases).invalidate(this.id);
			LeaseCache.Lookup serviceC = c.get(this.id, () -> Optional.of(database.get()));
			assertThat(serviceC.value()).contains("V2");
			assertThat(serviceC.source()).isEqualTo(LeaseCache.Source.LOADED);
			loader.release.countDown();
			return serviceA.get(5, TimeUnit.SECONDS).value().orElseThrow();
		}
	}

	@Test
	void aThousandConcurrentColdReadsOnTwoInstancesLoadOnce() throws Exception {
		LeaseCache one = instance(true);
		LeaseCache two = instance(true);
		AtomicInteger loads = new AtomicInteger();
		Supplier<Optional<String>> slowLoader = () -> {
			loads.incrementAndGet();
			sleep(50);
			return Optional.of("value");
		};
		CountDownLatch start = new CountDownLatch(1);
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<LeaseCache.Lookup>> reads = new ArrayList<>();
			for (int i = 0; i < 1000; i++) {
				LeaseCache instance = i % 2 == 0 ? one : two;
				reads.add(pool.submit(() -> {
					start.await();
					return instance.get(this.id, slowLoader);
				}));
			}
			start.countDown();
			for (Future<LeaseCache.Lookup> read : reads) {
				assertThat(read.get(10, TimeUnit.SECONDS).value()).contains("value");
			}
		}
		assertThat(loads.get()).isEqualTo(1);
	}

	@Test
	void aMissingIdIsCachedAsMissing() {
		LeaseCache cache = instance(true);
		AtomicInteger loads = new AtomicInteger();
		Supplier<Optional<String>> nothing = () -> {
			loads.incrementAndGet();
			return Optional.empty();
		};
		assertThat(cache.get(this.id, nothing).value()).isEmpty();
		sleep(5); // past the 1 ms local tier: the answer must come from Redis
		assertThat(instance(true).get(this.id, nothing).value()).isEmpty();
		assertThat(loads.get()).isEqualTo(1);
	}

	@Test
	void whenTheSourceFailsTheStaleCopyAnswers() {
		LeaseCache cache = instance(true);
		cache.get(this.id, () -> Optional.of("kept"));
		redis.delete(keys(this.id).value()); // the value expired
		LeaseCache.Lookup lookup = instance(true).get(this.id, () -> {
			throw new IllegalStateException("database down");
		});
		assertThat(lookup.value()).contains("kept");
		assertThat(lookup.source()).isEqualTo(LeaseCache.Source.STALE);
		// the failed loader gave its lease back
		assertThat(redis.hasKey(keys(this.id).lease())).isFalse();
	}

	@Test
	void valueTtlsCarryJitter() {
		List<Long> ttls = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			String key = this.id + "-" + i;
			instance(true).get(key, () -> Optional.of("v"));
			ttls.add(redis.getExpire(keys(key).value(), TimeUnit.MILLISECONDS));
		}
		assertThat(ttls).allSatisfy(ttl -> assertThat(ttl).isBetween(4 * 60_000L - 1000, 6 * 60_000L));
		assertThat(ttls.stream().distinct().count()).isGreaterThan(10);
	}

	private static void sleep(long ms) {
		try {
			Thread.sleep(ms);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
