package dev.feedplatform.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Posts;
import dev.feedplatform.testsupport.Users;
import dev.feedplatform.testsupport.Users.TestUser;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The detail page, comments and moderation end to end, with a second app instance (its
 * own context, sharing only Redis, MariaDB and RocketMQ) where propagation matters.
 */
@SpringBootTest(classes = FeedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "feed.login.fixed-code=1000", "feed.moderators=" + DetailIntegrationTests.MODERATOR,
				DetailIntegrationTests.DEADLINE, DetailIntegrationTests.HISTORY_CAP })
@DirtiesContext
class DetailIntegrationTests {

	static final String MODERATOR = "19900000001";

	/**
	 * These tests are about cache loads and propagation, not deadlines (FanoutTests
	 * covers those): on a 2-core CI box shared with the broker and the database, a burst
	 * of cold reads can push the author part past the default 1 s, which would answer 503
	 * and hide what is being measured.
	 */
	static final String DEADLINE = "feed.detail.critical-timeout=10s";

	/** A short view history, so the cap shows in a test. */
	static final String HISTORY_CAP = "feed.detail.history-cap=5";

	static ConfigurableApplicationContext second;

	@Value("${local.server.port}")
	int port;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	MeterRegistry meters;

	Api api;

	Api other;

	@BeforeAll
	static void startSecondInstance() {
		second = new SpringApplicationBuilder(FeedApplication.class).run("--server.port=0",
				"--spring.main.banner-mode=off", "--feed.login.fixed-code=1000", "--feed.moderators=" + MODERATOR,
				"--" + DEADLINE, "--" + HISTORY_CAP);
	}

	@AfterAll
	static void stopSecondInstance() {
		second.close();
	}

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
		this.other = new Api(second.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
	}

	@Test
	void theDetailPageAssemblesPostAuthorRelationCountsReactionAndFirstComments() {
		TestUser author = Users.create(this.api, "author");
		TestUser reader = Users.create(this.api, "reader");
		String post = publish(author, "hello");
		assertThat(this.api.post("/api/users/" + author.id() + "/follow", reader.token(), null).status())
			.isEqualTo(204);
		assertThat(this.api.post("/api/posts/" + post + "/like", reader.token(), null).status()).isEqualTo(204);
		List<String> commentIds = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			Reply comment = this.api.post("/api/posts/" + post + "/comments", reader.token(),
					"{\"text\":\"comment " + i + "\"}");
			assertThat(comment.status()).isEqualTo(201);
			commentIds.add(comment.string("$.id"));
		}
		Reply page = this.api.get("/api/posts/" + post, reader.token());
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.string("$.post.id")).isEqualTo(post);
		assertThat(page.string("$.post.title")).isEqualTo("hello");
		assertThat(page.string("$.author.id")).isEqualTo(Long.toString(author.id()));
		assertThat(page.<Boolean>json("$.author.followed_by_me")).isTrue();
		// at once, before any count is applied
		assertThat(page.<Boolean>json("$.liked_by_me")).isTrue();
		assertThat(page.strings("$.comments[*].id")).containsExactlyElementsOf(commentIds.reversed().subList(0, 20));
		assertThat(page.strings("$.degraded")).isEmpty();
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			Reply again = this.api.get("/api/posts/" + post, reader.token());
			return ((Number) again.json("$.counts.likes")).intValue() == 1
					&& ((Number) again.json("$.counts.comments")).intValue() == 25;
		});
		Reply second = this.api.get(
				"/api/posts/" + post + "/comments?size=20&last_id=" + page.strings("$.comments[*].id").get(19),
				author.token());
		assertThat(second.strings("$.items[*].id")).containsExactlyElementsOf(commentIds.reversed().subList(20, 25));
		assertThat(second.<Boolean>json("$.has_more")).isFalse();
	}

	@Test
	void missingRetractedAndMalformedIdsAnswerClearProblems() {
		TestUser author = Users.create(this.api, "author");
		assertThat(this.api.get("/api/posts/999999999", author.token()).status()).isEqualTo(404);
		assertThat(this.api.get("/api/posts/abc", author.token()).status()).isEqualTo(400);
		String post = publish(author, "soon gone");
		// now cached
		assertThat(this.api.get("/api/posts/" + post, author.token()).status()).isEqualTo(200);
		assertThat(this.api.get("/api/posts/" + post, Users.create(this.other, "x").token()).status()).isEqualTo(200);
		assertThat(this.api.delete("/api/posts/" + post, author.token()).status()).isEqualTo(204);
		assertThat(this.api.get("/api/posts/" + post, author.token()).status()).isEqualTo(404);
		assertThat(this.other.get("/api/posts/" + post, author.token()).status()).isEqualTo(404);
		assertThat(this.api.post("/api/posts/" + post + "/comments", author.token(), "{\"text\":\"late\"}").status())
			.isEqualTo(404);
		String open = publish(author, "open");
		assertThat(this.api.post("/api/posts/" + open + "/comments", author.token(), "{\"text\":\"\"}").status())
			.isEqualTo(400);
		assertThat(this.api
			.post("/api/posts/" + open + "/comments", author.token(), "{\"text\":\"" + "x".repeat(2001) + "\"}")
			.status()).isEqualTo(400);
		assertThat(this.api.get("/api/posts/" + open + "/comments?size=0", author.token()).status()).isEqualTo(400);
		// The retraction event reached the cache too (not only the blacklist): the core
		// is gone from Redis.
		await().atMost(Duration.ofSeconds(20))
			.until(() -> !Boolean.TRUE.equals(this.redis.hasKey(RedisKeys.postDetail(Long.parseLong(post))))
					|| "\u0000missing"
						.equals(this.redis.opsForValue().get(RedisKeys.postDetail(Long.parseLong(post)))));
	}

	/**
	 * Issue 15: every write to a post checks it is there to write to, on both instances,
	 * and nothing is counted.
	 */
	@Test
	void aDeletedOrBlacklistedPostTakesNoLikeFavoriteShareViewCommentOrRoomAnd404sEach() {
		TestUser author = Users.create(this.api, "author");
		TestUser reader = Users.create(this.api, "reader");
		TestUser moderator = Users.login(this.api, MODERATOR, "moderator");
		String deleted = publish(author, "soon gone");
		String blacklisted = publish(author, "soon hidden");
		// warms every cache
		assertThat(this.api.post("/api/posts/" + deleted + "/like", reader.token(), null).status()).isEqualTo(204);
		assertThat(this.other.post("/api/posts/" + blacklisted + "/views", reader.token(), null).status())
			.isEqualTo(202);
		assertThat(this.api.delete("/api/posts/" + deleted, author.token()).status()).isEqualTo(204);
		assertThat(this.api.post("/api/moderation/blacklist/" + blacklisted, moderator.token(), null).status())
			.isEqualTo(204);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.api.get("/api/counters?ids=" + blacklisted, reader.token())
				.number("$['" + blacklisted + "'].views") == 1);
		for (String post : List.of(deleted, blacklisted)) {
			// right after the 204, on both instances
			for (Api node : List.of(this.api, this.other)) {
				assertThat(node.post("/api/posts/" + post + "/like", reader.token(), null).status()).as("like " + post)
					.isEqualTo(404);
				assertThat(node.delete("/api/posts/" + post + "/like", reader.token()).status()).as("unlike " + post)
					.isEqualTo(404);
				assertThat(node.post("/api/posts/" + post + "/favorite", reader.token(), null).status()).isEqualTo(404);
				assertThat(node.post("/api/posts/" + post + "/share", reader.token(), null).status()).isEqualTo(404);
				assertThat(node.post("/api/posts/" + post + "/views", reader.token(), null).status()).isEqualTo(404);
				assertThat(node.post("/api/posts/" + post + "/comments", reader.token(), "{\"text\":\"x\"}").status())
					.isEqualTo(404);
				Reply room = node.post("/api/rooms", author.token(),
						"{\"title\":\"live\",\"post_id\":\"" + post + "\"}");
				assertThat(room.status()).as(room.toString()).isEqualTo(404);
				assertThat(room.isProblem()).isTrue();
			}
		}
		Reply counts = this.api.get("/api/counters?ids=" + deleted + "," + blacklisted, reader.token());
		// the one before the deletion, nothing after
		assertThat(counts.number("$['" + deleted + "'].likes")).isEqualTo(1);
		assertThat(counts.number("$['" + deleted + "'].favorites") + counts.number("$['" + deleted + "'].shares")
				+ counts.number("$['" + deleted + "'].views"))
			.isZero();
		assertThat(counts.number("$['" + blacklisted + "'].views")).isEqualTo(1);
		assertThat(counts.number("$['" + blacklisted + "'].likes") + counts.number("$['" + blacklisted + "'].shares"))
			.isZero();
		// Lifting the blacklist makes the post writable again at once.
		assertThat(this.api.delete("/api/moderation/blacklist/" + blacklisted, moderator.token()).status())
			.isEqualTo(204);
		assertThat(this.other.post("/api/posts/" + blacklisted + "/like", reader.token(), null).status())
			.isEqualTo(204);
	}

	@Test
	void aModeratorsBlacklistHidesThePostEverywhereOnEveryInstanceAtOnceAndLiftingItRestoresIt() {
		TestUser author = Users.create(this.api, "author");
		TestUser reader = Users.create(this.api, "reader");
		TestUser moderator = Users.login(this.api, MODERATOR, "moderator");
		assertThat(this.api.post("/api/users/" + author.id() + "/follow", reader.token(), null).status())
			.isEqualTo(204);
		this.api.get("/api/timeline", reader.token());
		String post = publish(author, "fake news");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.other.get("/api/timeline", reader.token()).strings("$.items[*].id").contains(post));
		// warm on the other instance
		assertThat(this.other.get("/api/posts/" + post, reader.token()).status()).isEqualTo(200);

		assertThat(this.api.post("/api/moderation/blacklist/" + post, reader.token(), null).status()).isEqualTo(403);
		assertThat(this.api.post("/api/moderation/blacklist/" + post, moderator.token(), null).status()).isEqualTo(204);
		// Right after the 204, with no waiting: gone from the other instance's detail
		// page, timeline and profile.
		assertThat(this.other.get("/api/posts/" + post, reader.token()).status()).isEqualTo(404);
		assertThat(this.other.get("/api/timeline", reader.token()).strings("$.items[*].id")).doesNotContain(post);
		assertThat(this.other.get("/api/users/" + author.id() + "/posts", reader.token()).strings("$.items[*].id"))
			.doesNotContain(post);
		assertThat(this.api.post("/api/posts/" + post + "/comments", reader.token(), "{\"text\":\"x\"}").status())
			.isEqualTo(404);

		assertThat(this.api.delete("/api/moderation/blacklist/" + post, moderator.token()).status()).isEqualTo(204);
		assertThat(this.other.get("/api/posts/" + post, reader.token()).status()).isEqualTo(200);
		assertThat(this.other.get("/api/timeline", reader.token()).strings("$.items[*].id")).contains(post);
		assertThat(this.api.post("/api/moderation/blacklist/999999999", moderator.token(), null).status())
			.isEqualTo(404);
	}

	@Test
	void aThousandConcurrentReadsOfAColdPostOnTwoInstancesLoadItOnce() throws Exception {
		TestUser author = Users.create(this.api, "author");
		String post = publish(author, "viral");
		// warms the path (JIT) on both instances
		assertThat(this.api.get("/api/posts/999999998", author.token()).status()).isEqualTo(404);
		assertThat(this.other.get("/api/posts/999999998", author.token()).status()).isEqualTo(404);
		MeterRegistry otherMeters = second.getBean(MeterRegistry.class);
		double before = loads(this.meters) + loads(otherMeters);
		CountDownLatch start = new CountDownLatch(1);
		// 1,000 reads, up to 64 at once over the two instances
		try (ExecutorService pool = Executors.newFixedThreadPool(64)) {
			List<Future<Integer>> reads = new ArrayList<>();
			for (int i = 0; i < 1000; i++) {
				Api target = i % 2 == 0 ? this.api : this.other;
				reads.add(pool.submit(() -> {
					start.await();
					return target.get("/api/posts/" + post, author.token()).status();
				}));
			}
			start.countDown();
			for (Future<Integer> read : reads) {
				assertThat(read.get()).isEqualTo(200);
			}
		}
		assertThat(loads(this.meters) + loads(otherMeters) - before).isEqualTo(1.0);
	}

	private static double loads(MeterRegistry meters) {
		return meters.find("feed.detail.loads").counter().count();
	}

	/**
	 * Issue 19: my likes, favorites and history, newest first, paged by record id, on
	 * either node.
	 */
	@Test
	void myLikesFavoritesAndHistoryAreNewestFirstPagedAndLeaveOutWhatIsGone() throws Exception {
		TestUser author = Users.create(this.api, "author");
		TestUser reader = Users.create(this.api, "reader");
		List<String> posts = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			posts.add(publish(author, "mine " + i));
		}
		// Likes p0, p1, p2; p1 unliked and liked again (on the other node): it comes
		// first again.
		for (int i : new int[] { 0, 1, 2 }) {
			assertThat(this.api.post("/api/posts/" + posts.get(i) + "/like", reader.token(), null).status())
				.isEqualTo(204);
			// record ids are time-ordered across nodes to the millisecond
			Thread.sleep(3);
		}
		assertThat(this.other.delete("/api/posts/" + posts.get(1) + "/like", reader.token()).status()).isEqualTo(204);
		Thread.sleep(3);
		assertThat(this.other.post("/api/posts/" + posts.get(1) + "/like", reader.token(), null).status())
			.isEqualTo(204);
		assertThat(this.api.post("/api/posts/" + posts.get(2) + "/favorite", reader.token(), null).status())
			.isEqualTo(204);
		assertThat(this.api.get("/api/users/me/likes", reader.token()).strings("$.items[*].post.id"))
			.containsExactly(posts.get(1), posts.get(2), posts.get(0));
		assertThat(this.other.get("/api/users/me/favorites", reader.token()).strings("$.items[*].post.id"))
			.containsExactly(posts.get(2));
		// Paged by the record id, one at a time.
		Reply first = this.other.get("/api/users/me/likes?size=1", reader.token());
		assertThat(first.strings("$.items[*].post.id")).containsExactly(posts.get(1));
		Reply second = this.api.get("/api/users/me/likes?size=1&last_id=" + first.string("$.last_id"), reader.token());
		assertThat(second.strings("$.items[*].post.id")).containsExactly(posts.get(2));
		assertThat(this.api.get("/api/users/me/likes?size=abc", reader.token()).status()).isEqualTo(400);

		// History: detail pages opened on either node, once per post, a re-open moves it
		// up; five kept.
		for (int i : new int[] { 0, 1, 2, 0 }) {
			Api node = i == 1 ? this.other : this.api;
			assertThat(node.get("/api/posts/" + posts.get(i), reader.token()).status()).isEqualTo(200);
			Thread.sleep(3);
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(
					this.api.get("/api/users/me/history", reader.token()).strings("$.items[*].post.id"))
				.containsExactly(posts.get(0), posts.get(2), posts.get(1)));
		for (int i = 3; i < 7; i++) {
			this.other.get("/api/posts/" + posts.get(i), reader.token());
			Thread.sleep(3);
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(
					this.other.get("/api/users/me/history", reader.token()).strings("$.items[*].post.id"))
				.containsExactly(posts.get(6), posts.get(5), posts.get(4), posts.get(3), posts.get(0)));
		assertThat(this.api.get("/api/users/me/history", author.token()).<List<Object>>json("$.items"))
			.as("only my own")
			.isEmpty();

		// The author deletes p2 and a moderator blacklists p0: both leave every list at
		// once.
		assertThat(this.api.delete("/api/posts/" + posts.get(2), author.token()).status()).isEqualTo(204);
		TestUser moderator = Users.login(this.api, MODERATOR, "moderator");
		assertThat(this.api.post("/api/moderation/blacklist/" + posts.get(0), moderator.token(), null).status())
			.isEqualTo(204);
		assertThat(this.api.get("/api/users/me/likes", reader.token()).strings("$.items[*].post.id"))
			.containsExactly(posts.get(1));
		assertThat(this.api.get("/api/users/me/favorites", reader.token()).strings("$.items[*].post.id")).isEmpty();
		assertThat(this.other.get("/api/users/me/history", reader.token()).strings("$.items[*].post.id"))
			.containsExactly(posts.get(6), posts.get(5), posts.get(4), posts.get(3));
	}

	private String publish(TestUser author, String title) {
		return Posts.publish(this.api, author, title);
	}

}
