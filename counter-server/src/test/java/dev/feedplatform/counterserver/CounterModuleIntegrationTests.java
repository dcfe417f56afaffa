package dev.feedplatform.counterserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The counter module booted alone ({@link CounterTestApplication}) against the real
 * Redis, MariaDB and RocketMQ (issue 20: module integration tests beside the code, not
 * only end-to-end tests of the assembled app). It checks the module's own promises
 * through its mappers and scripts: the count equals the reaction rows after a race, and a
 * delta batch delivered twice is counted once in both copies.
 */
@SpringBootTest(classes = CounterTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class CounterModuleIntegrationTests {

	@Autowired
	Interactions interactions;

	@Autowired
	DeltaApplier applier;

	@Autowired
	CounterStore store;

	@Autowired
	CounterTestApplication.PublishedPosts posts;

	@Autowired
	JdbcClient db;

	private long newPost() {
		long post = ThreadLocalRandom.current().nextLong(1L << 50, 1L << 60);
		this.posts.publish(post);
		return post;
	}

	@Test
	void likesAndUnlikesRacingFromManyThreadsLeaveTheCountEqualToTheRows() throws Exception {
		long post = newPost();
		int users = 120;
		long firstUser = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
		try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
			List<Future<?>> likes = new ArrayList<>();
			for (int i = 0; i < users; i++) {
				long user = firstUser + i;
				// Each user likes twice at once (a double tap on two devices): one row,
				// one count.
				likes.add(pool.submit(() -> this.interactions.react(post, user, Reactions.Kind.LIKE)));
				likes.add(pool.submit(() -> this.interactions.react(post, user, Reactions.Kind.LIKE)));
			}
			for (Future<?> like : likes) {
				like.get();
			}
			List<Future<?>> unlikes = new ArrayList<>();
			for (int i = 0; i < users; i += 2) {
				long user = firstUser + i;
				unlikes.add(pool.submit(() -> this.interactions.unreact(post, user, Reactions.Kind.LIKE)));
				unlikes.add(pool.submit(() -> this.interactions.unreact(post, user, Reactions.Kind.LIKE)));
			}
			for (Future<?> unlike : unlikes) {
				unlike.get();
			}
		}

		long rows = this.db.sql("SELECT COUNT(*) FROM post_reactions WHERE post_id = ? AND kind = 1")
			.param(post)
			.query(Long.class)
			.single();
		assertThat(rows).isEqualTo(users / 2);
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			Map<Long, Totals.Versioned> stored = this.store.loadFromDatabase(List.of(post));
			assertThat(stored).containsKey(post);
			assertThat(stored.get(post).totals().likes()).isEqualTo(rows);
			Map<Long, Totals> copy = this.store.readFromRedis(List.of(post));
			assertThat(copy).containsKey(post);
			assertThat(copy.get(post).likes()).isEqualTo(rows);
		});
	}

	@Test
	void aDeltaBatchDeliveredTwiceIsCountedOnceInTheDatabaseAndInRedis() throws Exception {
		long post = newPost();
		long other = newPost();
		long third = newPost();
		DeltaBatch batch = new DeltaBatch(UUID.randomUUID().toString(), System.currentTimeMillis(),
				List.of(new DeltaBatch.PostDelta(post, new long[] { 0, 0, 2, 5, 0 }),
						new DeltaBatch.PostDelta(third, new long[] { 0, 0, 1, 0, 0 }),
						new DeltaBatch.PostDelta(other, new long[] { 0, 0, 0, 2, 3 })));

		this.applier.apply(List.of(batch));
		// The redelivery, once alone and twice more at the same moment.
		this.applier.apply(List.of(batch));
		try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
			Future<?> one = pool.submit(() -> this.applier.apply(List.of(batch)));
			Future<?> two = pool.submit(() -> this.applier.apply(List.of(batch)));
			one.get();
			two.get();
		}

		Map<Long, Totals.Versioned> stored = this.store.loadFromDatabase(List.of(post));
		assertThat(stored.get(post).totals()).isEqualTo(new Totals(0, 0, 2, 5, 0));
		assertThat(stored.get(post).version()).isEqualTo(1);
		assertThat(this.store.readFromRedis(List.of(post)).get(post)).isEqualTo(new Totals(0, 0, 2, 5, 0));
		// The other rows of the same multi-row upsert, each its own. (Likes and favorites
		// only through reactions: the reconciler corrects counts that no rows back.)
		assertThat(this.store.loadFromDatabase(List.of(other, third)))
			.containsEntry(other, new Totals.Versioned(new Totals(0, 0, 0, 2, 3), 1))
			.containsEntry(third, new Totals.Versioned(new Totals(0, 0, 1, 0, 0), 1));
	}

	@Test
	void aBatchOfMorePostsThanOneUpsertTakesIsAppliedWhole() {
		int posts = DeltaApplier.ROWS_PER_UPSERT * 2 + 7;
		long first = ThreadLocalRandom.current().nextLong(1L << 50, 1L << 60);
		List<DeltaBatch.PostDelta> deltas = new ArrayList<>();
		for (int i = 0; i < posts; i++) {
			this.posts.publish(first + i);
			deltas.add(new DeltaBatch.PostDelta(first + i, new long[] { 0, 0, 0, i + 1, 0 }));
		}

		this.applier.apply(List.of(new DeltaBatch(UUID.randomUUID().toString(), System.currentTimeMillis(), deltas)));

		List<Long> ids = java.util.stream.LongStream.range(first, first + posts).boxed().toList();
		Map<Long, Totals.Versioned> stored = this.store.loadFromDatabase(ids);
		assertThat(stored).hasSize(posts);
		for (int i = 0; i < posts; i++) {
			assertThat(stored.get(first + i).totals().views()).isEqualTo(i + 1);
		}
	}

}
