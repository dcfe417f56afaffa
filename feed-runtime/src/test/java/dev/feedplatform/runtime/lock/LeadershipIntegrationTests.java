package dev.feedplatform.runtime.lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.feedplatform.runtime.ProjectRedis;
import dev.feedplatform.runtime.redis.RedissonClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Leadership} on the project's Redis, each "instance" a Redisson client of its own
 * (as two JVMs would have): one holder at a time under racing asks, the role survives a
 * change of thread, a release hands it on at once, a holder that died blocks the others
 * only until the watchdog timeout, and a holder whose lock Redis lost finds out instead
 * of believing it still leads.
 */
class LeadershipIntegrationTests {

	private final List<RedissonClient> clients = new ArrayList<>();

	private ProjectRedis redis;

	private String name;

	@BeforeEach
	void setUp() {
		this.redis = new ProjectRedis();
		this.name = "test:leadership:" + UUID.randomUUID();
	}

	@AfterEach
	void tearDown() {
		this.clients.forEach(RedissonClient::shutdown);
		this.redis.template().delete(this.name);
		this.redis.close();
	}

	private Leadership instance() {
		int port = Integer.parseInt(System.getenv().getOrDefault("FEED_REDIS_PORT", "16379"));
		RedissonClient client = RedissonClients.standalone("127.0.0.1", port);
		this.clients.add(client);
		return new Leadership(client, this.name);
	}

	@Test
	void ofThreeInstancesAskingFromManyThreadsExactlyOneLeadsAndKeepsLeadingFromAnyThread() throws Exception {
		List<Leadership> instances = List.of(instance(), instance(), instance());
		ExecutorService pool = Executors.newFixedThreadPool(12);
		try {
			CountDownLatch go = new CountDownLatch(1);
			List<List<Future<Boolean>>> asks = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				asks.add(new ArrayList<>());
				Leadership one = instances.get(i);
				for (int t = 0; t < 4; t++) {
					asks.get(i).add(pool.submit(() -> {
						go.await();
						return one.hold();
					}));
				}
			}
			go.countDown();
			AtomicInteger leaders = new AtomicInteger();
			for (int i = 0; i < 3; i++) {
				boolean any = false;
				boolean all = true;
				for (Future<Boolean> ask : asks.get(i)) {
					boolean held = ask.get();
					any |= held;
					all &= held;
				}
				assertThat(any).as("an instance's threads agree on whether it leads").isEqualTo(all);
				if (any) {
					leaders.incrementAndGet();
				}
			}
			assertThat(leaders.get()).isEqualTo(1);
			Leadership leader = instances.stream().filter(Leadership::hold).findFirst().orElseThrow();
			assertThat(pool.submit(leader::hold).get()).as("another thread of the leader").isTrue();
			assertThat(instances.stream().filter(Leadership::hold).count()).isEqualTo(1);
			// The racing asks took the lock once, not once per thread: one release frees
			// it.
			leader.release();
			Leadership next = instances.stream()
				.filter(i -> i != leader)
				.filter(Leadership::hold)
				.findFirst()
				.orElseThrow();
			assertThat(leader.hold()).isFalse();
			assertThat(next.hold()).isTrue();
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aReleaseHandsTheRoleOnAtOnce() {
		Leadership a = instance();
		Leadership b = instance();
		assertThat(a.hold()).isTrue();
		assertThat(b.hold()).isFalse();
		a.release();
		assertThat(b.hold()).isTrue();
		assertThat(a.hold()).isFalse();
	}

	@Test
	void aDeadHoldersRoleIsKeptAliveUntilItDiesThenFreedWithinTheWatchdogTimeout() throws Exception {
		Leadership a = instance();
		Leadership b = instance();
		assertThat(a.hold()).isTrue();
		// Past the watchdog timeout: the watchdog, not a TTL, keeps the living holder's
		// lock.
		Thread.sleep(RedissonClients.LOCK_WATCHDOG_MILLIS + 2_000);
		assertThat(b.hold()).as("the living holder still leads").isFalse();
		assertThat(a.hold()).isTrue();

		// the holder dies: no release, its watchdog stops
		this.clients.removeFirst().shutdown();
		long died = System.nanoTime();
		while (!b.hold()) {
			assertThat(Duration.ofNanos(System.nanoTime() - died)).as("freed within the watchdog timeout")
				.isLessThan(Duration.ofMillis(RedissonClients.LOCK_WATCHDOG_MILLIS + 3_000));
			Thread.sleep(200);
		}
	}

	@Test
	void aHolderWhoseLockRedisLostNoLongerLeadsOnceAnotherTookIt() {
		Leadership a = instance();
		Leadership b = instance();
		assertThat(a.hold()).isTrue();
		this.redis.template().delete(this.name); // Redis restarted empty, say
		assertThat(b.hold()).isTrue();
		assertThat(a.hold()).isFalse();
	}

	@Test
	void aHolderWhoseLockRedisLostTakesItAgainWhileNobodyElseDid() {
		Leadership a = instance();
		Leadership b = instance();
		assertThat(a.hold()).isTrue();
		this.redis.template().delete(this.name);
		assertThat(a.hold()).as("free again: the holder takes it back").isTrue();
		assertThat(b.hold()).isFalse();
	}

}
