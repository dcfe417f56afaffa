package dev.feedplatform.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import dev.feedplatform.searchsync.node.PostDocument;
import dev.feedplatform.searchsync.node.PostIndex;
import dev.feedplatform.searchsync.sync.BinlogSync;
import dev.feedplatform.searchsync.sync.PostSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sync loses and duplicates nothing when its processes die mid-stream. A second app
 * instance (its own JVM) runs the sync while rows stream into MariaDB; it is killed with
 * SIGKILL, this instance takes the lease over and resumes from Canal's last acknowledged
 * batch; then the Canal server itself is killed with SIGKILL and restarted by the
 * platform script, resuming from its persisted cursor. At the end the index holds exactly
 * the rows MariaDB holds, each as MariaDB holds it.
 */
@SpringBootTest(classes = FeedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "feed.fanout.workers-enabled=false" })
@DirtiesContext
class SearchCrashIntegrationTests {

	private static final int ROWS = 3_000;

	@Autowired
	BinlogSync sync;

	@Autowired
	PostIndex index;

	@Autowired
	PostSource source;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	LeasedIdGenerator ids;

	private Process worker;

	@AfterEach
	void cleanUp() throws Exception {
		if (this.worker != null) {
			this.worker.destroyForcibly();
		}
		// whatever happened, leave a Canal server running
		AppProcess.platform("start-one", "canal");
	}

	@Test
	void killingTheSyncWorkerAndTheCanalServerMidStreamLosesAndDuplicatesNothing() throws Exception {
		// This instance steps back so the second JVM becomes the sync leader.
		this.sync.stop();
		Path log = Files.createTempFile("search-worker", ".log");
		this.worker = AppProcess.start(log, "--feed.fanout.workers-enabled=false");
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> Files.readString(log).contains("binlog sync connected"));
		this.sync.start(); // standby until the lease frees up

		List<Long> created = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger progress = new AtomicInteger();
		long author = this.ids.next();
		Thread writer = Thread.ofPlatform().start(() -> {
			for (int i = 0; i < ROWS; i++) {
				long id = this.ids.next();
				this.jdbc.update(
						"INSERT INTO posts (id, author_id, type, title, media) VALUES (?, ?, 'IMAGE', ?, 'https://cdn.example/a.jpg')",
						id, author, "crash row " + i);
				created.add(id);
				if (i % 7 == 0 && i > 0) {
					// Updates and deletes in the stream too: a lost one would leave a
					// stale or a ghost document.
					long earlier = created.get(i / 2);
					if (i % 21 == 0) {
						this.jdbc.update("DELETE FROM posts WHERE id = ?", earlier);
					}
					else {
						this.jdbc.update("UPDATE posts SET title = CONCAT(title, ' edited') WHERE id = ?", earlier);
					}
				}
				progress.set(i);
				if (i % 50 == 0) {
					sleep(25);
				}
			}
		});

		await().atMost(Duration.ofSeconds(60)).until(() -> progress.get() >= ROWS / 5);
		// SIGKILL: no lease release, no ack of its batch in flight
		this.worker.destroyForcibly();
		this.worker.waitFor();
		await().atMost(Duration.ofSeconds(30)).until(this.sync::isLeader);

		await().atMost(Duration.ofSeconds(60)).until(() -> progress.get() >= ROWS / 2);
		AppProcess.platform("stop-one", "canal"); // SIGKILL of the Canal server
		sleep(1_000);
		AppProcess.platform("start-one", "canal");
		writer.join();

		long low = Collections.min(created) - 1;
		long high = Collections.max(created);
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
			Map<Long, PostDocument> truth = this.source.visible(created);
			String live = this.index.indicesOf(this.index.readAlias()).iterator().next();
			this.index.refresh(live);
			Map<Long, String> indexed = this.index.fingerprints(live, low, high);
			assertThat(indexed.keySet()).as("documents = visible rows, no more, no fewer").isEqualTo(truth.keySet());
			truth.forEach((id, doc) -> assertThat(indexed.get(id)).as("post " + id).isEqualTo(doc.fp()));
		});
		assertThat(this.redis.hasKey(RedisKeys.searchSyncLease("feed"))).isTrue();
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
