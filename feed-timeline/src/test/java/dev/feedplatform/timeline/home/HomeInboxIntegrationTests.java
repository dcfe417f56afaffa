package dev.feedplatform.timeline.home;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import dev.feedplatform.common.keys.RedisKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inbox's one owner against the project's real Redis (issue 20: the rule "live while
 * the floor key exists; trim to the cap and raise the floor" tested where it is written,
 * in its Lua scripts, not only through the assembled app). Caps are small (5 for a
 * frequent reader, 3 for an occasional one) so the trim is reached in a few pushes.
 */
class HomeInboxIntegrationTests {

	static LettuceConnectionFactory connections;

	static StringRedisTemplate redis;

	static HomeInbox inbox;

	@BeforeAll
	static void connect() {
		String cluster = System.getenv().getOrDefault("FEED_REDIS_CLUSTER_NODES", "");
		if (!cluster.isBlank()) {
			// bin/platform test --cluster (issue 21): the scripts on the Redis Cluster
			connections = new LettuceConnectionFactory(new RedisClusterConfiguration(List.of(cluster.split(","))));
		}
		else {
			int port = Integer.parseInt(System.getenv().getOrDefault("FEED_REDIS_PORT", "16379"));
			connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
		}
		connections.afterPropertiesSet();
		connections.start();
		redis = new StringRedisTemplate(connections);
		inbox = new HomeInbox(redis, new TimelineSettings(7, 5, 3));
	}

	@AfterAll
	static void disconnect() {
		connections.destroy();
	}

	private static long newReader() {
		return ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
	}

	/**
	 * A reader whose inbox is live from {@code floor} on, as a read or rebuild leaves it.
	 */
	private static long liveReader(long floor) {
		long reader = newReader();
		redis.opsForValue().set(RedisKeys.inboxFloor(reader), Long.toString(floor), Duration.ofMinutes(5));
		return reader;
	}

	private static Set<Long> members(long reader) {
		Set<String> ids = redis.opsForZSet().range(RedisKeys.inbox(reader), 0, -1);
		return ids == null ? Set.of() : ids.stream().map(Long::valueOf).collect(Collectors.toSet());
	}

	private static Long floorOf(long reader) {
		String floor = redis.opsForValue().get(RedisKeys.inboxFloor(reader));
		return floor == null ? null : Long.valueOf(floor);
	}

	@Test
	void aPushReachesOnlyLiveInboxesAndTheNewInboxExpiresWithItsFloor() {
		long live = liveReader(0);
		long idle = newReader();

		assertThat(inbox.push(101, new long[] { live, idle }, false)).isEqualTo(1);

		assertThat(members(live)).containsExactly(101L);
		assertThat(redis.hasKey(RedisKeys.inbox(idle))).isFalse();
		long floorTtl = redis.getExpire(RedisKeys.inboxFloor(live), java.util.concurrent.TimeUnit.MILLISECONDS);
		long inboxTtl = redis.getExpire(RedisKeys.inbox(live), java.util.concurrent.TimeUnit.MILLISECONDS);
		assertThat(inboxTtl).as("the inbox expires with its floor").isPositive().isBetween(floorTtl - 2_000, floorTtl);
	}

	@Test
	void pushesPastTheCapDropTheOldestAndRaiseTheFloorToTheOldestKept() {
		long reader = liveReader(0);
		for (long post = 1; post <= 7; post++) {
			inbox.push(post, new long[] { reader }, false);
		}

		assertThat(members(reader)).containsExactlyInAnyOrder(3L, 4L, 5L, 6L, 7L);
		assertThat(floorOf(reader)).isEqualTo(3);
	}

	@Test
	void anOccasionalReaderKeepsTheSmallerCap() {
		long reader = liveReader(0);
		for (long post = 1; post <= 7; post++) {
			inbox.push(post, new long[] { reader }, true);
		}

		assertThat(members(reader)).containsExactlyInAnyOrder(5L, 6L, 7L);
		assertThat(floorOf(reader)).isEqualTo(5);
	}

	@Test
	void aRedeliveredPushOfAKeptOrATrimmedPostChangesNothing() {
		long reader = liveReader(0);
		for (long post = 1; post <= 7; post++) {
			inbox.push(post, new long[] { reader }, false);
		}
		Double scoreBefore = redis.opsForZSet().score(RedisKeys.inbox(reader), "5");

		inbox.push(5, new long[] { reader }, false);
		inbox.push(2, new long[] { reader }, false); // trimmed away before: stays out

		assertThat(members(reader)).containsExactlyInAnyOrder(3L, 4L, 5L, 6L, 7L);
		assertThat(redis.opsForZSet().score(RedisKeys.inbox(reader), "5")).isEqualTo(scoreBefore);
		assertThat(floorOf(reader)).isEqualTo(3);
	}

	@Test
	void unpushRemovesThePostFromEveryReaderAndLeavesTheRest() {
		long one = liveReader(0);
		long two = liveReader(0);
		inbox.push(11, new long[] { one, two }, false);
		inbox.push(12, new long[] { one, two }, false);

		inbox.unpush(11, List.of(one, two, newReader()));

		assertThat(members(one)).containsExactly(12L);
		assertThat(members(two)).containsExactly(12L);
	}

	@Test
	void aRebuildKeepsAPushThatRacedItAndTrimsTheMergeToTheCap() {
		long reader = newReader();
		assertThat(inbox.startBuilding(reader)).isTrue();
		assertThat(inbox.startBuilding(reader)).as("one rebuild at a time").isFalse();
		// fan-out while the rebuild pulls
		inbox.push(1_000, new long[] { reader }, false);

		List<Long> pulled = LongStream.rangeClosed(10, 17).boxed().toList();
		inbox.finishBuilding(reader, pulled, 10, 5, Duration.ofMinutes(5));

		assertThat(members(reader)).containsExactlyInAnyOrder(14L, 15L, 16L, 17L, 1_000L);
		assertThat(floorOf(reader)).as("raised past the trimmed ids").isEqualTo(14);
	}

	@Test
	void aCoreFanRecordGoesOnlyToALiveInboxThatIsNotBeingRebuiltAndKeepsItsFirstValue() {
		long live = liveReader(0);
		long rebuilding = newReader();
		inbox.startBuilding(rebuilding);
		long idle = newReader();

		inbox.recordCoreFan(42, List.of(live, rebuilding, idle), 500);
		inbox.recordCoreFan(42, List.of(live), 900);

		assertThat(inbox.state(live).coreSince()).containsEntry(42L, 500L);
		assertThat(inbox.state(rebuilding).coreSince()).isEmpty();
		assertThat(inbox.state(idle).coreSince()).isEmpty();
	}

}
