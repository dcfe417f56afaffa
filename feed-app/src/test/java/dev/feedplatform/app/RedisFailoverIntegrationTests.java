package dev.feedplatform.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Posts;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Users;
import dev.feedplatform.testsupport.Users.TestUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 21: a Redis Cluster master is killed (SIGKILL) under a stream of publishes; its
 * replica takes over, the app follows the new topology, and every acknowledged post
 * reaches a follower's timeline. Runs only in the cluster stage ({@code bin/platform test
 * --cluster}, which sets {@code FEED_REDIS_CLUSTER_NODES}); prints the errors seen and
 * how long the app needed.
 */
@EnabledIfEnvironmentVariable(named = "FEED_REDIS_CLUSTER_NODES", matches = ".+")
@SpringBootTest(classes = FeedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "feed.login.fixed-code=1000" })
@DirtiesContext
class RedisFailoverIntegrationTests {

	@Value("${local.server.port}")
	int port;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void aKilledMasterIsReplacedByItsReplicaAndNoAcknowledgedPostIsLost() throws Exception {
		Api api = new Api(this.port);
		TestUser author = Users.create(api, "author");
		TestUser follower = Users.create(api, "follower");
		assertThat(api.post("/api/users/" + author.id() + "/follow", follower.token(), null).status()).isEqualTo(204);
		// a live inbox
		assertThat(api.get("/api/timeline", follower.token()).status()).isEqualTo(200);

		// The master that holds the follower's inbox: the one whose loss matters here.
		RedisClusterNode master = nodeFor(RedisKeys.inbox(follower.id()));
		assertThat(master).isNotNull();
		String victim = "redis-cluster-" + master.getPort();

		List<String> acknowledged = new ArrayList<>();
		// status (0: no answer) → count
		Map<Integer, Integer> failures = new ConcurrentHashMap<>();
		ConcurrentLinkedQueue<Long> failedAt = new ConcurrentLinkedQueue<>();
		AtomicBoolean writing = new AtomicBoolean(true);
		Thread writer = Thread.ofPlatform().start(() -> {
			int n = 0;
			while (writing.get()) {
				int status;
				String id = null;
				try {
					Reply reply = api.post("/api/posts", author.token(), "{\"type\":\"VIDEO\",\"title\":\"failover "
							+ (n++) + "\",\"media\":[\"https://cdn.example/v.mp4\"]}");
					status = reply.status();
					if (status == 201) {
						id = reply.string("$.id");
					}
				}
				catch (RuntimeException ex) {
					status = 0;
				}
				if (id != null) {
					synchronized (acknowledged) {
						acknowledged.add(id);
					}
				}
				else {
					failures.merge(status, 1, Integer::sum);
					failedAt.add(System.nanoTime());
				}
				sleepQuietly(50);
			}
		});

		// The follower reads all along: the reads hit the killed master's slots directly.
		Map<Integer, Integer> readFailures = new ConcurrentHashMap<>();
		ConcurrentLinkedQueue<Long> readFailedAt = new ConcurrentLinkedQueue<>();
		int[] reads = new int[1];
		Thread reader = Thread.ofPlatform().start(() -> {
			while (writing.get()) {
				int status;
				try {
					status = api.get("/api/timeline?size=20", follower.token()).status();
				}
				catch (RuntimeException ex) {
					status = 0;
				}
				reads[0]++;
				if (status != 200) {
					readFailures.merge(status, 1, Integer::sum);
					readFailedAt.add(System.nanoTime());
				}
				sleepQuietly(50);
			}
		});

		Thread.sleep(1_500);
		long killed = System.nanoTime();
		RedisClusterNode promoted;
		try {
			AppProcess.platform("stop-one", victim);
			// Node timeout 3 s, the replica's election, Lettuce's refresh.
			Thread.sleep(15_000);
			promoted = nodeFor(RedisKeys.inbox(follower.id()));
		}
		finally {
			writing.set(false);
			writer.join();
			reader.join();
			// back as a replica of the new master
			AppProcess.platform("start-one", victim);
		}
		assertThat(promoted.getPort()).as("another node serves the killed master's slots")
			.isNotEqualTo(master.getPort());
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.redis.execute((RedisCallback<Boolean>) (connection) -> {
				RedisClusterConnection cluster = (RedisClusterConnection) connection;
				return java.util.stream.StreamSupport.stream(cluster.clusterGetNodes().spliterator(), false)
					.anyMatch((node) -> node.getPort().equals(master.getPort()) && node.isReplica()
							&& node.isConnected());
			})).as("the killed node is back, as a replica").isTrue());

		long lastFailure = java.util.stream.Stream.concat(failedAt.stream(), readFailedAt.stream())
			.mapToLong(Long::longValue)
			.max()
			.orElse(killed);
		double window = (lastFailure - killed) / 1e9;
		System.out.printf(
				"redis master %s killed: %d posts acknowledged, publish failures by status %s; %d timeline "
						+ "reads, failures by status %s; last failure %.1f s after the kill%n",
				victim, acknowledged.size(), failures, reads[0], readFailures, window);

		assertThat(failures.keySet()).as("publish failures answered as problems (503) or not at all, never 500")
			.allMatch((status) -> status == 0 || status == 503);
		assertThat(readFailures.keySet()).as("read failures answered as problems (503) or not at all, never 500")
			.allMatch((status) -> status == 0 || status == 503);
		assertThat(window).as("the app answers again within the failover window").isLessThan(12.0);
		Set<String> expected = new HashSet<>(acknowledged);
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			assertThat(Posts.onTimeline(api, follower)).as("every acknowledged post on the follower's timeline")
				.containsAll(expected);
		});
	}

	/** The master serving the key's slot, as the cluster says now. */
	private RedisClusterNode nodeFor(String key) {
		return this.redis.execute((RedisCallback<RedisClusterNode>) (connection) -> {
			RedisClusterConnection cluster = (RedisClusterConnection) connection;
			int slot = cluster.clusterGetSlotForKey(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
			return java.util.stream.StreamSupport.stream(cluster.clusterGetNodes().spliterator(), false)
				.filter((node) -> node.isMaster() && node.isConnected() && node.servesSlot(slot))
				.findFirst()
				.orElseThrow();
		});
	}

	private static void sleepQuietly(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
