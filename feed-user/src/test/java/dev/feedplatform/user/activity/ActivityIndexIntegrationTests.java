package dev.feedplatform.user.activity;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Users;
import dev.feedplatform.testsupport.Users.TestUser;
import dev.feedplatform.user.DemoLoginTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last-active index, sharded by user id (issue 21: no slot holds the whole user base)
 * against the real Redis and MariaDB: answers keep the order asked across shards, and a
 * user the index lost is answered from MariaDB and written back to its own shard.
 */
@DemoLoginTest
class ActivityIndexIntegrationTests {

	@Value("${local.server.port}")
	int port;

	@Autowired
	ActivityTracker tracker;

	@Autowired
	ActivityIndex index;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void usersSpreadOverTheShardsAndComeBackInTheOrderAskedWithTheirTimes() {
		// Ids shaped as the id generator mints them for sign-ups: one per millisecond, so
		// the low 12 bits (worker and sequence) are all 0 (a plain id mod 64 put every
		// one of them in one shard).
		long first = ThreadLocalRandom.current().nextLong(1L << 30, 1L << 38) << 12;
		long now = System.currentTimeMillis();
		List<Long> users = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			long user = first + ((long) i << 12);
			users.add(user);
			// Every third user was last seen an hour before the cut-off.
			this.tracker.record(user, i % 3 == 0 ? now - 7_200_000 : now - i);
		}
		Collections.shuffle(users);

		LinkedHashMap<Long, Long> seen = this.index.lastSeenAmong(users, now - 3_600_000);

		List<Long> expected = users.stream().filter((user) -> ((user - first) >> 12) % 3 != 0).toList();
		assertThat(List.copyOf(seen.keySet())).containsExactlyElementsOf(expected);
		expected.forEach((user) -> assertThat(seen.get(user)).isEqualTo(now - ((user - first) >> 12)));
		Map<String, Long> perShard = users.stream()
			.collect(Collectors.groupingBy(RedisKeys::lastActive, Collectors.counting()));
		assertThat(perShard).as("every shard used").hasSize(RedisKeys.LAST_ACTIVE_SHARDS);
		assertThat(perShard.values()).as("no shard holds much more than its share (about 16)")
			.allMatch((count) -> count < 40);
		for (Long user : users) {
			assertThat(this.redis.opsForZSet().score(RedisKeys.lastActive(user), Long.toString(user))).isNotNull();
		}
	}

	@Test
	void aUserTheIndexLostIsAnsweredFromTheDatabaseAndPutBackIntoItsShard() {
		Api api = new Api(this.port);
		TestUser user = Users.create(api, "seen");
		long at = System.currentTimeMillis() - 60_000;
		this.tracker.record(user.id(), at);
		this.redis.opsForZSet().remove(RedisKeys.lastActive(user.id()), Long.toString(user.id()));

		assertThat(this.index.activeAmong(List.of(user.id()), at - 1)).containsExactly(user.id());
		assertThat(this.redis.opsForZSet().score(RedisKeys.lastActive(user.id()), Long.toString(user.id())))
			.isEqualTo((double) at);
	}

}
