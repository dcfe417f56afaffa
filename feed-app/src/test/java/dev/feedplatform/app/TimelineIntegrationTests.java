package dev.feedplatform.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.feedplatform.runtime.messaging.EventJson;
import dev.feedplatform.publish.events.FanOutBatch;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Posts;
import dev.feedplatform.testsupport.Users;
import dev.feedplatform.testsupport.Users.TestUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publish, fan-out and the home timeline end to end over HTTP, against real Redis,
 * MariaDB and RocketMQ. Small limits (big account at 3 followers, 2 core fans from 5
 * followers, inbox cap 10, 4 for occasional readers) make the edges reachable.
 */
@SpringBootTest(classes = FeedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "feed.login.fixed-code=1000", "feed.big-account-threshold=3", "feed.fanout.inbox-cap=10",
				"feed.fanout.occasional-inbox-cap=4", "feed.fanout.core-tiers=5:2", "feed.fanout.core-join-margin=0s" })
// Closed after the class: its RocketMQ consumers must not linger in the groups the crash
// test controls.
@DirtiesContext
class TimelineIntegrationTests {

	private static final Duration DELIVERY = Duration.ofSeconds(20);

	@Value("${local.server.port}")
	int port;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	RocketMq rocketMq;

	@Autowired
	dev.feedplatform.user.activity.ActivityTracker activity;

	Api api;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
	}

	@Test
	void fortyFivePostsPageTwentyTwentyFiveWithNoGapsOrDuplicatesWhileNewPostsArrive() {
		TestUser author = Users.create(this.api, "author");
		TestUser reader = Users.create(this.api, "reader");
		follow(reader, author);
		timeline(reader, ""); // makes the inbox live
		List<String> published = new ArrayList<>();
		for (int i = 0; i < 45; i++) {
			published.add(publish(author, "post " + i));
		}
		// pushed and trimmed to the cap
		await().atMost(DELIVERY).until(() -> inboxSize(reader) == 10);

		Reply first = timeline(reader, "?size=20");
		publish(author, "arrives between pages");
		Reply second = timeline(reader, "?size=20&last_id=" + first.string("$.last_id"));
		Reply third = timeline(reader, "?size=20&last_id=" + second.string("$.last_id"));
		assertThat(first.strings("$.items[*].id")).hasSize(20);
		assertThat(second.strings("$.items[*].id")).hasSize(20);
		assertThat(third.strings("$.items[*].id")).hasSize(5);
		assertThat(third.<Boolean>json("$.has_more")).isFalse();
		List<String> seen = new ArrayList<>(first.strings("$.items[*].id"));
		seen.addAll(second.strings("$.items[*].id"));
		seen.addAll(third.strings("$.items[*].id"));
		assertThat(seen).containsExactlyElementsOf(published.reversed());
	}

	@Test
	void tenPostsCreatedConcurrentlyAllAppearOnceInIdOrder() throws Exception {
		TestUser reader = Users.create(this.api, "reader");
		List<TestUser> authors = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			TestUser author = Users.create(this.api, "a" + i);
			follow(reader, author);
			authors.add(author);
		}
		timeline(reader, "");
		List<String> ids = new ArrayList<>();
		try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
			List<Future<String>> futures = new ArrayList<>();
			for (TestUser author : authors) {
				futures.add(pool.submit(() -> publish(author, "concurrent")));
			}
			for (Future<String> f : futures) {
				ids.add(f.get());
			}
		}
		await().atMost(DELIVERY).untilAsserted(() -> {
			List<String> items = timeline(reader, "?size=50").strings("$.items[*].id");
			assertThat(items).containsExactlyInAnyOrderElementsOf(ids);
			assertThat(items.stream().map(Long::valueOf).toList()).isSortedAccordingTo((x, y) -> Long.compare(y, x));
		});
	}

	@Test
	void followingBackfillsRecentPostsIntoALiveInboxAndUnfollowingHidesThemAtOnce() {
		TestUser author = Users.create(this.api, "author");
		TestUser reader = Users.create(this.api, "reader");
		String old = publish(author, "before the follow");
		timeline(reader, ""); // live, empty inbox
		await().atMost(DELIVERY)
			.until(() -> this.redis.hasKey(RedisKeys.inboxFloor(reader.id()))
					&& !"9223372036854775807".equals(this.redis.opsForValue().get(RedisKeys.inboxFloor(reader.id()))));
		follow(reader, author);
		await().atMost(DELIVERY).until(() -> this.redis.opsForZSet().score(RedisKeys.inbox(reader.id()), old) != null);
		assertThat(timeline(reader, "").strings("$.items[*].id")).containsExactly(old);

		this.api.delete("/api/users/" + author.id() + "/follow", reader.token());
		assertThat(timeline(reader, "").strings("$.items[*].id")).isEmpty();
	}

	@Test
	void aBigAccountIsPulledNotPushedAndMergedInOrderWithPushedPosts() {
		TestUser star = Users.create(this.api, "star");
		TestUser normal = Users.create(this.api, "normal");
		TestUser reader = Users.create(this.api, "reader");
		follow(reader, star);
		follow(Users.create(this.api, "f2"), star);
		follow(Users.create(this.api, "f3"), star); // third follower: star is big now
		assertThat(this.api.get("/api/users/" + star.id(), reader.token()).<Boolean>json("$.big_account")).isTrue();
		follow(reader, normal);
		timeline(reader, "");
		List<String> expected = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			expected.add(publish(star, "star " + i));
			expected.add(publish(normal, "normal " + i));
		}
		await().atMost(DELIVERY).until(() -> inboxSize(reader) == 3);
		for (String id : expected) {
			boolean fromStar = expected.indexOf(id) % 2 == 0;
			assertThat(this.redis.opsForZSet().score(RedisKeys.inbox(reader.id()), id) != null).as("pushed: " + id)
				.isEqualTo(!fromStar);
		}
		// A big account's head is kept on the node, checked against its newest post on
		// every read: no delay.
		assertThat(timeline(reader, "").strings("$.items[*].id")).containsExactlyElementsOf(expected.reversed());
		String newest = publish(star, "star 3");
		assertThat(timeline(reader, "").strings("$.items[*].id")).as("the head is read again at once")
			.startsWith(newest);
	}

	/**
	 * Issue 19, tiered big accounts: a big account pushes to its most active followers (2
	 * from 5 followers here) and is pulled by the rest. As the core set changes —
	 * activity shifts, the account drops below its tier and comes back, a core fan's
	 * inbox is rebuilt — every reader, paging one item at a time, sees every post exactly
	 * once and in order.
	 */
	@Test
	void aTieredBigAccountPushesToItsMostActiveFansAndNoTierChangeLosesOrDoublesAPost() {
		TestUser star = Users.create(this.api, "star");
		TestUser hot = Users.create(this.api, "hot");
		TestUser warm = Users.create(this.api, "warm");
		TestUser cold = Users.create(this.api, "cold");
		TestUser f4 = Users.create(this.api, "f4");
		TestUser f5 = Users.create(this.api, "f5");
		List<TestUser> readers = List.of(hot, warm, cold);
		for (TestUser fan : List.of(hot, warm, cold, f4, f5)) {
			follow(fan, star);
		}
		for (TestUser reader : readers) {
			timeline(reader, ""); // live inboxes
			await().atMost(DELIVERY)
				.until(() -> "0".equals(this.redis.opsForValue().get(RedisKeys.inboxFloor(reader.id()))));
		}
		seen(hot, 0, warm, 1, cold, 2, f4, 3, f5, 4);
		List<String> published = new ArrayList<>();

		// The first post asks for a pick in the background; it is pulled by everyone
		// meanwhile.
		published.add(publish(star, "p0"));
		await().atMost(DELIVERY).until(() -> coreFans(star).equals(Set.of(hot.id(), warm.id())));
		assertThat(coreRecord(hot, star)).isNotNull();
		assertThat(coreRecord(cold, star)).isNull();
		published.add(publish(star, "p1 pushed to hot and warm"));
		awaitPushed(published.getLast(), hot, warm);
		assertThat(inboxHas(cold, published.getLast())).isFalse();
		everyReaderSeesExactly(readers, published);

		// A core fan's read is served by its inbox: without the post in the outbox it is
		// still there.
		this.redis.opsForZSet().remove(RedisKeys.outbox(star.id()), published.getLast());
		// drop cached heads
		this.redis.opsForZSet()
			.add(RedisKeys.bigLatest(), Long.toString(star.id()), Long.parseLong(published.getLast()) + 1);
		assertThat(timeline(hot, "").strings("$.items[*].id")).startsWith(published.getLast());
		assertThat(timeline(cold, "").strings("$.items[*].id")).doesNotContain(published.getLast());
		this.redis.opsForZSet()
			.add(RedisKeys.outbox(star.id()), published.getLast(), Double.parseDouble(published.getLast()));

		// Activity shifts: cold becomes the second most active, warm leaves the core set.
		seen(cold, 0, warm, 5);
		assertThat(recompute(star)).isTrue();
		assertThat(coreFans(star)).isEqualTo(Set.of(hot.id(), cold.id()));
		assertThat(coreRecord(warm, star)).as("a leaving fan pulls again").isNull();
		published.add(publish(star, "p2 pushed to hot and cold"));
		awaitPushed(published.getLast(), hot, cold);
		assertThat(inboxHas(warm, published.getLast())).isFalse();
		everyReaderSeesExactly(readers, published);

		// Below its tier (3 followers): pulled by all.
		this.api.delete("/api/users/" + star.id() + "/follow", f4.token());
		this.api.delete("/api/users/" + star.id() + "/follow", f5.token());
		assertThat(recompute(star)).isTrue();
		assertThat(coreFans(star)).isEmpty();
		assertThat(coreRecord(hot, star)).isNull();
		published.add(publish(star, "p3 pulled by all"));
		everyReaderSeesExactly(readers, published);

		// Back in its tier; then a core fan's inbox is rebuilt, which drops its record.
		follow(f4, star);
		follow(f5, star);
		assertThat(recompute(star)).isTrue();
		assertThat(coreFans(star)).isEqualTo(Set.of(hot.id(), cold.id()));
		published.add(publish(star, "p4 pushed again"));
		awaitPushed(published.getLast(), hot, cold);
		everyReaderSeesExactly(readers, published);
		this.redis.delete(List.of(RedisKeys.inbox(hot.id()), RedisKeys.inboxFloor(hot.id())));
		everyReaderSeesExactly(readers, published);
		assertThat(coreRecord(hot, star)).as("a rebuilt inbox holds no pushed big posts").isNull();
		published.add(publish(star, "p5 after the rebuild"));
		everyReaderSeesExactly(readers, published);
	}

	@Autowired
	dev.feedplatform.publish.fanout.CoreFans coreFansOfBigAccounts;

	/**
	 * Last-active times: pairs of (user, seconds before a moment an hour ahead). Ahead of
	 * the clock, so the app's own activity records (which only raise a time) can't
	 * reorder them mid-test.
	 */
	private void seen(Object... userAndSecondsAgo) {
		long now = System.currentTimeMillis() + 3_600_000;
		for (int i = 0; i < userAndSecondsAgo.length; i += 2) {
			TestUser user = (TestUser) userAndSecondsAgo[i];
			int ago = (Integer) userAndSecondsAgo[i + 1];
			this.redis.opsForZSet().add(RedisKeys.lastActive(user.id()), Long.toString(user.id()), now - ago * 1000L);
		}
	}

	private boolean recompute(TestUser account) {
		return this.coreFansOfBigAccounts.recompute(account.id());
	}

	private Set<Long> coreFans(TestUser account) {
		Set<Long> fans = new HashSet<>();
		for (long fan : this.coreFansOfBigAccounts.members(account.id())) {
			fans.add(fan);
		}
		return fans;
	}

	private Object coreRecord(TestUser reader, TestUser account) {
		return this.redis.opsForHash().get(RedisKeys.inboxCore(reader.id()), Long.toString(account.id()));
	}

	private boolean inboxHas(TestUser reader, String postId) {
		return this.redis.opsForZSet().score(RedisKeys.inbox(reader.id()), postId) != null;
	}

	private void awaitPushed(String postId, TestUser... readers) {
		for (TestUser reader : readers) {
			await().atMost(DELIVERY).until(() -> inboxHas(reader, postId));
		}
	}

	/** Pages of one item from the top: exactly the published ids, newest first. */
	private void everyReaderSeesExactly(List<TestUser> readers, List<String> published) {
		for (TestUser reader : readers) {
			List<String> seen = new ArrayList<>();
			String query = "?size=1";
			for (int page = 0; page < published.size() + 2; page++) {
				Reply reply = timeline(reader, query);
				seen.addAll(reply.strings("$.items[*].id"));
				if (!reply.<Boolean>json("$.has_more")) {
					break;
				}
				query = "?size=1&last_id=" + reply.string("$.last_id");
			}
			assertThat(seen).as(reader.nickname() + "'s timeline").containsExactlyElementsOf(published.reversed());
		}
	}

	@Test
	void aReaderWithoutALiveInboxGetsACorrectFirstPageAtOnceAndTheInboxIsRebuilt() {
		TestUser author = Users.create(this.api, "author");
		TestUser reader = Users.create(this.api, "reader");
		follow(reader, author);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			ids.add(publish(author, "while away " + i));
		}
		// Inactive past the window: the inbox has expired (here: never made live).
		this.redis.delete(List.of(RedisKeys.inbox(reader.id()), RedisKeys.inboxFloor(reader.id())));
		assertThat(timeline(reader, "").strings("$.items[*].id")).containsExactlyElementsOf(ids.reversed());
		await().atMost(DELIVERY).until(() -> inboxSize(reader) == 5);
		assertThat(this.redis.opsForValue().get(RedisKeys.inboxFloor(reader.id()))).isEqualTo("0");
	}

	/**
	 * Issue 14: Redis restarted empty loses the reader's inbox and their entry in the
	 * activity index, while this instance, having seen them a moment ago, won't record
	 * them again for a minute. The inbox is rebuilt on their next read; a post after that
	 * must still be pushed into it.
	 */
	@Test
	void aPostAfterRedisLostTheActivityIndexStillReachesTheRebuiltInbox() {
		TestUser author = Users.create(this.api, "author");
		TestUser reader = Users.create(this.api, "reader");
		follow(reader, author);
		// the first read makes the inbox live
		assertThat(timeline(reader, "").strings("$.items[*].id")).isEmpty();
		await().atMost(DELIVERY)
			.until(() -> "0".equals(this.redis.opsForValue().get(RedisKeys.inboxFloor(reader.id()))));
		String before = publish(author, "before the restart");
		await().atMost(DELIVERY).until(() -> inboxSize(reader) == 1);
		this.redis.delete(List.of(RedisKeys.inbox(reader.id()), RedisKeys.inboxFloor(reader.id())));
		this.redis.opsForZSet().remove(RedisKeys.lastActive(reader.id()), Long.toString(reader.id()));
		assertThat(timeline(reader, "").strings("$.items[*].id")).containsExactly(before);
		await().atMost(DELIVERY)
			.until(() -> "0".equals(this.redis.opsForValue().get(RedisKeys.inboxFloor(reader.id()))));
		String after = publish(author, "after the restart");
		await().atMost(DELIVERY)
			.until(() -> this.redis.opsForZSet().score(RedisKeys.inbox(reader.id()), after) != null);
		assertThat(timeline(reader, "").strings("$.items[*].id")).containsExactly(after, before);
		assertThat(this.redis.opsForZSet().score(RedisKeys.lastActive(reader.id()), Long.toString(reader.id())))
			.as("the index entry is restored from MariaDB")
			.isNotNull();
	}

	/**
	 * Issue 14, found by bin/platform chaos: Redis restarted empty has no scripts either;
	 * fan-out's pipelined EVALSHA must load its script again, or no post reaches any
	 * inbox until the app restarts.
	 */
	@Test
	void fanOutReloadsItsScriptWhenRedisForgotIt() {
		TestUser author = Users.create(this.api, "author");
		TestUser reader = Users.create(this.api, "reader");
		follow(reader, author);
		assertThat(timeline(reader, "").strings("$.items[*].id")).isEmpty();
		await().atMost(DELIVERY)
			.until(() -> "0".equals(this.redis.opsForValue().get(RedisKeys.inboxFloor(reader.id()))));
		String first = publish(author, "before the flush");
		await().atMost(DELIVERY)
			.until(() -> this.redis.opsForZSet().score(RedisKeys.inbox(reader.id()), first) != null);
		this.redis.execute((org.springframework.data.redis.core.RedisCallback<Object>) c -> {
			c.scriptingCommands().scriptFlush();
			return null;
		});
		String second = publish(author, "after the flush");
		await().atMost(DELIVERY)
			.until(() -> this.redis.opsForZSet().score(RedisKeys.inbox(reader.id()), second) != null);
	}

	/**
	 * Issue 14: a client retrying a post or a comment with its Idempotency-Key never
	 * stores it twice.
	 */
	@Test
	void anIdempotencyKeyMakesRetriedPostsAndCommentsAnswerTheFirstOneAndStoreNothingTwice() throws Exception {
		TestUser author = Users.create(this.api, "author");
		String body = "{\"type\":\"IMAGE\",\"title\":\"once\",\"media\":[\"https://cdn.example/i.jpg\"]}";
		String key = "post-" + UUID.randomUUID();
		List<Reply> replies = java.util.Collections.synchronizedList(new ArrayList<>());
		try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < 8; i++) { // retries racing each other, as after a timeout
				pool.execute(
						() -> replies.add(this.api.post("/api/posts", author.token(), body, "Idempotency-Key", key)));
			}
		}
		assertThat(replies).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(201));
		assertThat(replies.stream().map(r -> r.string("$.id")).distinct()).hasSize(1);
		String id = replies.get(0).string("$.id");
		assertThat(this.api.get("/api/users/" + author.id() + "/posts", author.token()).strings("$.items[*].id"))
			.containsExactly(id);
		Reply other = this.api.post("/api/posts", author.token(), body.replace("once", "twice"), "Idempotency-Key",
				key);
		assertThat(other.status()).as(other.toString()).isEqualTo(409);
		assertThat(this.api.post("/api/posts", author.token(), body, "Idempotency-Key", "x".repeat(65)).status())
			.isEqualTo(400);
		// Keys are per author: another author's identical key is a different post.
		TestUser someone = Users.create(this.api, "someone");
		assertThat(this.api.post("/api/posts", someone.token(), body, "Idempotency-Key", key).string("$.id"))
			.isNotEqualTo(id);

		String comment = "{\"text\":\"first!\"}";
		Reply first = this.api.post("/api/posts/" + id + "/comments", someone.token(), comment, "Idempotency-Key",
				"c-1");
		Reply again = this.api.post("/api/posts/" + id + "/comments", someone.token(), comment, "Idempotency-Key",
				"c-1");
		assertThat(first.status()).as(first.toString()).isEqualTo(201);
		assertThat(again.status()).isEqualTo(201);
		assertThat(again.string("$.id")).isEqualTo(first.string("$.id"));
		assertThat(this.api
			.post("/api/posts/" + id + "/comments", someone.token(), "{\"text\":\"second\"}", "Idempotency-Key", "c-1")
			.status()).isEqualTo(409);
		assertThat(this.api.get("/api/posts/" + id + "/comments", someone.token()).strings("$.items[*].id"))
			.containsExactly(first.string("$.id"));
	}

	@Test
	void scrollingPastTheInboxCapContinuesFromOutboxesAndTheDatabase() {
		TestUser author = Users.create(this.api, "author");
		TestUser reader = Users.create(this.api, "reader");
		follow(reader, author);
		timeline(reader, "");
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			ids.add(publish(author, "p" + i));
		}
		await().atMost(DELIVERY)
			.until(() -> this.redis.opsForZSet().score(RedisKeys.inbox(reader.id()), ids.get(24)) != null);
		// also lose the outbox: the database must answer
		this.redis.delete(RedisKeys.outboxFloor(author.id()));
		List<String> seen = new ArrayList<>();
		String cursor = "";
		for (int page = 0; page < 5; page++) {
			Reply reply = timeline(reader, "?size=7" + cursor);
			seen.addAll(reply.strings("$.items[*].id"));
			if (!reply.<Boolean>json("$.has_more")) {
				break;
			}
			cursor = "&last_id=" + reply.string("$.last_id");
		}
		assertThat(seen).containsExactlyElementsOf(ids.reversed());
	}

	@Test
	void thePrefetchedContinuationBelowTheFloorNeverHidesAnAccountFollowedAfterIt() throws InterruptedException {
		TestUser other = Users.create(this.api, "other");
		TestUser author = Users.create(this.api, "author");
		TestUser reader = Users.create(this.api, "reader");
		follow(reader, author);
		timeline(reader, "");
		// Below the floor, newest first: the other account's 3 posts, then the author's
		// first 10.
		List<String> oldIds = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			oldIds.add(publish(author, "old " + i));
		}
		List<String> otherIds = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			otherIds.add(publish(other, "other " + i));
		}
		List<String> newIds = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			newIds.add(publish(author, "new " + i));
		}
		await().atMost(DELIVERY)
			.until(() -> this.redis.opsForZSet().score(RedisKeys.inbox(reader.id()), newIds.get(9)) != null);
		// Two pages near the inbox floor (cap 10) start the pre-fetch of what lies below
		// it.
		Reply first = timeline(reader, "?size=4");
		Reply second = timeline(reader, "?size=4&last_id=" + first.string("$.last_id"));
		// let the pre-fetch land; the answer must be the same whether it did or not
		Thread.sleep(1_000);
		// its posts lie below the floor: only a live pull (or a fresh continuation) has
		// them
		follow(reader, other);
		List<String> seen = new ArrayList<>(first.strings("$.items[*].id"));
		seen.addAll(second.strings("$.items[*].id"));
		String cursor = "&last_id=" + second.string("$.last_id");
		for (int page = 0; page < 10; page++) {
			Reply reply = timeline(reader, "?size=4" + cursor);
			seen.addAll(reply.strings("$.items[*].id"));
			if (!reply.<Boolean>json("$.has_more")) {
				break;
			}
			cursor = "&last_id=" + reply.string("$.last_id");
		}
		List<String> expected = new ArrayList<>(newIds.reversed());
		expected.addAll(otherIds.reversed());
		expected.addAll(oldIds.reversed());
		assertThat(seen).containsExactlyElementsOf(expected);
	}

	@Test
	void theAuthorRetractsAPostEverywhereAtOnceAndNobodyElseMay() {
		TestUser author = Users.create(this.api, "author");
		TestUser reader = Users.create(this.api, "reader");
		follow(reader, author);
		timeline(reader, "");
		String keep = publish(author, "keep");
		String gone = publish(author, "gone");
		await().atMost(DELIVERY).until(() -> inboxSize(reader) == 2);

		assertThat(this.api.delete("/api/posts/" + gone, reader.token()).status()).isEqualTo(403);
		assertThat(this.api.delete("/api/posts/" + gone, author.token()).status()).isEqualTo(204);
		assertThat(timeline(reader, "").strings("$.items[*].id")).containsExactly(keep);
		assertThat(this.api.get("/api/users/" + author.id() + "/posts", reader.token()).strings("$.items[*].id"))
			.containsExactly(keep);
		// cleanup removed it from the inbox
		await().atMost(DELIVERY).until(() -> inboxSize(reader) == 1);
		assertThat(this.api.delete("/api/posts/" + gone, author.token()).status()).as("idempotent").isEqualTo(204);
		assertThat(this.api.delete("/api/posts/123456789", author.token()).status()).isEqualTo(404);
	}

	/**
	 * A batch delivered again (the broker redelivers after a lost ack) must leave every
	 * inbox as the first delivery did, also where that is not a no-op of the sorted set:
	 * an inbox at its cap that already trimmed the post away (the re-added post must be
	 * trimmed again and the floor must not move) and a reader whose inbox is not live (no
	 * inbox may appear). Each copy also goes to a fresh live "witness" whose inbox shows
	 * when that copy was written.
	 */
	@Test
	void aRedeliveredFanOutBatchLeavesAFullInboxAndAnIdleReaderAsTheFirstDeliveryDid() {
		TestUser author = Users.create(this.api, "author");
		TestUser reader = Users.create(this.api, "reader");
		// follows, never opens the timeline: no live inbox
		TestUser idle = Users.create(this.api, "idle");
		follow(reader, author);
		follow(idle, author);
		timeline(reader, "");
		List<String> posts = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			posts.add(publish(author, "post " + i));
		}
		String oldest = posts.getFirst();
		String newest = posts.getLast();
		// Batches land in any order: wait until the trimmed inbox holds exactly the
		// newest ten.
		await().atMost(DELIVERY).until(() -> inbox(reader).keySet().equals(new HashSet<>(posts.subList(2, 12))));
		Map<String, Double> before = inbox(reader);
		String floorBefore = this.redis.opsForValue().get(RedisKeys.inboxFloor(reader.id()));
		assertThat(before).doesNotContainKey(oldest).containsKey(newest);
		assertThat(this.redis.hasKey(RedisKeys.inbox(idle.id()))).isFalse();

		List<TestUser> witnesses = new ArrayList<>();
		for (String post : List.of(oldest, oldest, newest, newest)) {
			TestUser witness = Users.create(this.api, "witness");
			timeline(witness, "");
			witnesses.add(witness);
			FanOutBatch again = new FanOutBatch(Long.parseLong(post), author.id(), System.currentTimeMillis(),
					new long[] { reader.id(), idle.id(), witness.id() });
			this.rocketMq.send(FanOutBatch.TOPIC, "dup-" + witness.id(), EventJson.encode(again));
		}
		for (TestUser witness : witnesses) {
			await().atMost(DELIVERY).until(() -> inboxSize(witness) == 1);
		}

		assertThat(inbox(reader)).as("members and scores of the full inbox").isEqualTo(before);
		assertThat(this.redis.opsForValue().get(RedisKeys.inboxFloor(reader.id()))).isEqualTo(floorBefore);
		assertThat(this.redis.hasKey(RedisKeys.inbox(idle.id()))).as("no inbox appears for a reader who isn't live")
			.isFalse();
		// The page runs past the inbox into the author's outbox: each post once, newest
		// first.
		assertThat(timeline(reader, "").strings("$.items[*].id")).containsExactlyElementsOf(posts.reversed());
	}

	@Test
	void badPostsAreRefusedWith400() {
		TestUser author = Users.create(this.api, "author");
		for (String body : List.of("{\"type\":\"AUDIO\",\"title\":\"t\",\"media\":[\"https://x/y\"]}",
				"{\"type\":\"VIDEO\",\"media\":[\"https://x/y\"]}",
				"{\"type\":\"VIDEO\",\"title\":\"" + "t".repeat(201) + "\",\"media\":[\"https://x/y\"]}",
				"{\"type\":\"VIDEO\",\"title\":\"t\",\"text\":\"" + "x".repeat(10_001)
						+ "\",\"media\":[\"https://x/y\"]}",
				"{\"type\":\"VIDEO\",\"title\":\"t\",\"media\":[]}",
				"{\"type\":\"VIDEO\",\"title\":\"t\",\"media\":[\"ftp://x/y\"]}",
				"{\"type\":\"VIDEO\",\"title\":\"t\",\"media\":\"https://x/y\"}",
				"{\"type\":\"VIDEO\",\"title\":\"t\"")) {
			Reply reply = this.api.post("/api/posts", author.token(), body);
			assertThat(reply.status()).as(body.substring(0, Math.min(60, body.length()))).isEqualTo(400);
			assertThat(reply.isProblem()).isTrue();
		}
		assertThat(this.api.get("/api/timeline?size=0", author.token()).status()).isEqualTo(400);
		assertThat(this.api.get("/api/timeline?last_id=x", author.token()).status()).isEqualTo(400);
		assertThat(this.api.delete("/api/posts/abc", author.token()).status()).isEqualTo(400);
	}

	/**
	 * Issue 15: a JSON escape of a lone surrogate is not text any store keeps as echoed
	 * (MariaDB stored "end\ud83d" as "endc"); every text field refuses it with 400, while
	 * a proper pair passes.
	 */
	@Test
	void textWithAnUnpairedSurrogateIsRefusedOnEveryFieldAndAPairIsStoredExactly() {
		TestUser author = Users.create(this.api, "author");
		for (String body : List.of("{\"type\":\"IMAGE\",\"title\":\"end\\ud83d\",\"media\":[\"http://x/y.jpg\"]}",
				"{\"type\":\"IMAGE\",\"title\":\"ab\\ud83dcd\",\"media\":[\"http://x/y.jpg\"]}",
				"{\"type\":\"IMAGE\",\"title\":\"\\ude00 low first\",\"media\":[\"http://x/y.jpg\"]}",
				"{\"type\":\"IMAGE\",\"title\":\"t\",\"text\":\"x\\ud83d\",\"media\":[\"http://x/y.jpg\"]}",
				"{\"type\":\"IMAGE\",\"title\":\"t\",\"media\":[\"http://x/y\\ud83d.jpg\"]}")) {
			Reply reply = this.api.post("/api/posts", author.token(), body);
			assertThat(reply.status()).as(body).isEqualTo(400);
			assertThat(reply.isProblem()).isTrue();
		}
		Reply ok = this.api.post("/api/posts", author.token(),
				"{\"type\":\"IMAGE\",\"title\":\"end\\ud83d\\ude00\",\"media\":[\"http://x/y.jpg\"]}");
		assertThat(ok.status()).isEqualTo(201);
		assertThat(this.api.get("/api/posts/" + ok.string("$.id"), author.token()).string("$.post.title"))
			.isEqualTo("end\uD83D\uDE00");
		String post = ok.string("$.id");
		assertThat(this.api.post("/api/posts/" + post + "/comments", author.token(), "{\"text\":\"ab\\ud83dcd\"}")
			.status()).isEqualTo(400);
		assertThat(this.api
			.post("/api/auth/login", null,
					"{\"phone\":\"" + Users.randomPhone() + "\",\"code\":\"1000\",\"nickname\":\"n\\udc00\"}")
			.status()).isEqualTo(400);
		assertThat(this.api.post("/api/rooms", author.token(), "{\"title\":\"r\\ud83d\"}").status()).isEqualTo(400);
		assertThat(this.api.get("/api/search?q=a%ED%A0%BD", author.token()).status()).isEqualTo(400);
		assertThat(this.api.post("/api/im/groups", author.token(), "{\"name\":\"g\\ud83d\",\"members\":[]}").status())
			.isEqualTo(400);
	}

	/**
	 * Issue 15: a malformed escape or invalid UTF-8 in any query parameter is a 400
	 * problem, not a 500.
	 */
	@Test
	void malformedQueryStringsAre400ProblemsEverywhere() {
		TestUser user = Users.create(this.api, "user");
		// (Escapes the JDK's client refuses to send, "%" and "%G1", are in
		// FeedApplicationIntegrationTests.)
		for (String path : List.of("/api/timeline?size=%FF", "/api/timeline?size=%C3%28",
				"/api/users/" + user.id() + "/posts?size=%FF", "/api/users/" + user.id() + "/followers?last_id=%FF",
				"/api/counters?ids=%FF", "/api/search?q=%FF", "/api/rooms?size=%FF",
				"/api/im/conversations?size=%FF")) {
			Reply reply = this.api.get(path, user.token());
			assertThat(reply.status()).as(path + " " + reply).isEqualTo(400);
			assertThat(reply.isProblem()).as(path + " " + reply).isTrue();
		}
		// A search cursor the API never handed out is refused before it reaches the
		// search node.
		String crafted = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("v1:-1:1.0:1".getBytes());
		Reply search = this.api.get("/api/search?q=x&cursor=" + crafted, user.token());
		assertThat(search.status()).as(search.toString()).isEqualTo(400);
	}

	/**
	 * Issue 19: inbox size follows activity; an occasional reader's smaller inbox still
	 * pages everything.
	 */
	@Test
	void anOccasionalReadersInboxIsKeptSmallerAndTheirTimelineStillHasEveryPost() {
		TestUser author = Users.create(this.api, "author");
		TestUser daily = Users.create(this.api, "daily");
		TestUser occasional = Users.create(this.api, "occasional");
		for (TestUser reader : List.of(daily, occasional)) {
			follow(reader, author);
			timeline(reader, ""); // live inboxes
		}
		// Seen three days ago: inside the active window (pushed to), outside the hot one
		// (1 day).
		this.activity.record(occasional.id(), System.currentTimeMillis() - Duration.ofDays(3).toMillis());
		List<String> published = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			published.add(publish(author, "post " + i));
		}
		await().atMost(DELIVERY).until(() -> inboxSize(daily) == 10 && inboxSize(occasional) == 4);
		// Deeper pages continue from the author's outbox, as past any cap: nothing is
		// missing.
		Reply first = timeline(occasional, "?size=6");
		Reply second = timeline(occasional, "?size=6&last_id=" + first.string("$.last_id"));
		List<String> seen = new ArrayList<>(first.strings("$.items[*].id"));
		seen.addAll(second.strings("$.items[*].id"));
		assertThat(seen).containsExactlyElementsOf(published.reversed());
	}

	/**
	 * Issue 19: reposts fan out, count as shares, collapse chains, fold into one item per
	 * page, and die with their original.
	 */
	@Test
	void repostsReachFollowersFoldIntoOneItemPerOriginalAndVanishWithTheirOriginal() {
		TestUser author = Users.create(this.api, "author");
		TestUser bob = Users.create(this.api, "bob");
		TestUser carol = Users.create(this.api, "carol");
		TestUser reader = Users.create(this.api, "reader");
		follow(reader, bob);
		follow(reader, carol);
		timeline(reader, ""); // live inbox
		String original = publish(author, "worth sharing");
		Reply byBob = this.api.post("/api/posts/" + original + "/repost", bob.token(), "{\"text\":\"look\"}",
				"Idempotency-Key", "r1");
		assertThat(byBob.status()).as(byBob.toString()).isEqualTo(201);
		assertThat(byBob.string("$.type")).isEqualTo("REPOST");
		assertThat(byBob.string("$.repost_of")).isEqualTo(original);
		assertThat(byBob.string("$.original.title")).isEqualTo("worth sharing");
		assertThat(this.api
			.post("/api/posts/" + original + "/repost", bob.token(), "{\"text\":\"look\"}", "Idempotency-Key", "r1")
			.string("$.id")).as("a retry").isEqualTo(byBob.string("$.id"));
		assertThat(this.api
			.post("/api/posts/" + original + "/repost", bob.token(), "{\"text\":\"other\"}", "Idempotency-Key", "r1")
			.status()).as("the key for another repost").isEqualTo(409);
		// Carol reposts Bob's repost: it reposts the original (no chains).
		Reply byCarol = this.api.post("/api/posts/" + byBob.string("$.id") + "/repost", carol.token(), null);
		assertThat(byCarol.status()).as(byCarol.toString()).isEqualTo(201);
		assertThat(byCarol.string("$.repost_of")).isEqualTo(original);
		await().atMost(DELIVERY)
			.untilAsserted(() -> assertThat(this.api.get("/api/counters?ids=" + original, reader.token())
				.<Integer>json("$['" + original + "'].shares")).as("two reposts, the retry not counted").isEqualTo(2));
		assertThat(this.api.post("/api/posts/999999999/repost", bob.token(), null).status()).isEqualTo(404);
		assertThat(this.api
			.post("/api/posts", bob.token(),
					"{\"type\":\"REPOST\",\"title\":\"x\",\"media\":[\"https://cdn.example/a.jpg\"]}")
			.status()).as("only through /repost").isEqualTo(400);

		// Both reposts reach the reader, folded into one item that names the other
		// reposter.
		await().atMost(DELIVERY).untilAsserted(() -> {
			Reply page = timeline(reader, "");
			assertThat(page.strings("$.items[*].id")).containsExactly(byCarol.string("$.id"));
			assertThat(page.strings("$.items[0].reposted_by[*]")).containsExactly(Long.toString(bob.id()));
			assertThat(page.string("$.items[0].original.id")).isEqualTo(original);
		});
		// A page of one: the fold uses up Bob's repost too (the cursor passes it), so it
		// never comes back as an item of its own.
		Reply first = timeline(reader, "?size=1");
		assertThat(first.strings("$.items[*].id")).containsExactly(byCarol.string("$.id"));
		assertThat(first.strings("$.items[0].reposted_by[*]")).containsExactly(Long.toString(bob.id()));
		assertThat(first.<Boolean>json("$.has_more")).isFalse();
		// With a post of the reader's followee after them, the page of one says there is
		// more, and the next page has it.
		String later = publish(bob, "bob's own");
		await().atMost(DELIVERY)
			.until(() -> timeline(reader, "?size=1").strings("$.items[*].id").equals(List.of(later)));
		Reply newest = timeline(reader, "?size=1");
		assertThat(newest.<Boolean>json("$.has_more")).isTrue();
		assertThat(timeline(reader, "?size=1&last_id=" + newest.string("$.last_id")).strings("$.items[*].id"))
			.containsExactly(byCarol.string("$.id"));
		assertThat(this.api.get("/api/posts/" + byBob.string("$.id"), reader.token()).string("$.post.repost_of"))
			.isEqualTo(original);

		// The author deletes the original: every repost is gone at once, timeline and
		// detail.
		assertThat(this.api.delete("/api/posts/" + original, author.token()).status()).isEqualTo(204);
		assertThat(timeline(reader, "").strings("$.items[*].id")).containsExactly(later);
		assertThat(this.api.get("/api/posts/" + byBob.string("$.id"), reader.token()).status()).isEqualTo(404);
		assertThat(this.api.get("/api/users/" + bob.id() + "/posts", reader.token()).strings("$.items[*].id"))
			.containsExactly(later);
		assertThat(this.api.post("/api/posts/" + byBob.string("$.id") + "/repost", reader.token(), null).status())
			.isEqualTo(404);
	}

	private String publish(TestUser author, String title) {
		return Posts.publish(this.api, author, title);
	}

	private void follow(TestUser reader, TestUser author) {
		assertThat(this.api.post("/api/users/" + author.id() + "/follow", reader.token(), null).status())
			.isEqualTo(204);
	}

	private Reply timeline(TestUser reader, String query) {
		Reply reply = this.api.get("/api/timeline" + query, reader.token());
		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
		return reply;
	}

	private Map<String, Double> inbox(TestUser reader) {
		Map<String, Double> members = new java.util.HashMap<>();
		this.redis.opsForZSet()
			.rangeWithScores(RedisKeys.inbox(reader.id()), 0, -1)
			.forEach(t -> members.put(t.getValue(), t.getScore()));
		return members;
	}

	private long inboxSize(TestUser reader) {
		Long n = this.redis.opsForZSet().zCard(RedisKeys.inbox(reader.id()));
		return n == null ? 0 : n;
	}

}
