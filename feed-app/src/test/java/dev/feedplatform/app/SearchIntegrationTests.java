package dev.feedplatform.app;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicInteger;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.searchsync.node.DocChange;
import dev.feedplatform.searchsync.node.PostDocument;
import dev.feedplatform.searchsync.node.PostIndex;
import dev.feedplatform.searchsync.sync.PostSource;
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
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Search end to end against the real chain: MariaDB's binlog, the Canal server, the sync,
 * the search node. Rows are changed both through the API and directly in MariaDB (the
 * sync follows the binlog, so any writer counts).
 */
@SpringBootTest(classes = FeedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "feed.login.fixed-code=1000", "feed.moderators=" + SearchIntegrationTests.MODERATOR })
@DirtiesContext
class SearchIntegrationTests {

	static final String MODERATOR = "19900000077";

	static final Duration SYNCED = Duration.ofSeconds(30);

	@Value("${local.server.port}")
	int port;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	PostIndex index;

	@Autowired
	PostSource source;

	@Autowired
	LeasedIdGenerator ids;

	Api api;

	TestUser author;

	TestUser moderator;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
		this.author = Users.create(this.api, "author");
		this.moderator = Users.login(this.api, MODERATOR, "mod");
	}

	@Test
	void insertsUpdatesAndDeletesArrive() {
		String marker = word();
		String post = publish(this.author, "Sunset timelapse " + marker);
		awaitResults(marker, List.of(post));
		Reply hit = search(marker);
		assertThat(hit.string("$.items[0].title")).isEqualTo("Sunset timelapse " + marker);
		assertThat(hit.string("$.items[0].author_id")).isEqualTo(Long.toString(this.author.id()));

		// An update by any writer (here straight in MariaDB) reaches the index through
		// the binlog.
		String renamed = word();
		this.jdbc.update("UPDATE posts SET title = ? WHERE id = ?", "Sunrise " + renamed, Long.parseLong(post));
		awaitResults(renamed, List.of(post));
		awaitResults(marker, List.of());

		this.jdbc.update("DELETE FROM posts WHERE id = ?", Long.parseLong(post));
		awaitResults(renamed, List.of());
	}

	@Test
	void retractionAndBlacklistingHideAPostAtOnce() {
		String marker = word();
		String retracted = publish(this.author, "retract me " + marker);
		String blocked = publish(this.author, "block me " + marker);
		String kept = publish(this.author, "keep me " + marker);
		awaitResults(marker, List.of(retracted, blocked, kept));

		assertThat(this.api.delete("/api/posts/" + retracted, this.author.token()).status()).isEqualTo(204);
		assertThat(this.api.post("/api/moderation/blacklist/" + blocked, this.moderator.token(), null).status())
			.isEqualTo(204);
		// The very next search, before the binlog can have carried either change.
		assertThat(search(marker).strings("$.items[*].id")).containsExactly(kept);
		// And the documents do go, through the sync.
		await().atMost(SYNCED)
			.until(() -> this.index.fingerprints(liveIndex(), Long.parseLong(retracted) - 1, Long.parseLong(blocked))
				.isEmpty());
		assertThat(this.api.delete("/api/moderation/blacklist/" + blocked, this.moderator.token()).status())
			.isEqualTo(204);
		awaitResults(marker, List.of(blocked, kept));
	}

	@Test
	void anOlderWriteNeverOverwritesANewerOne() {
		long id = this.ids.next();
		String target = liveIndex();
		PostDocument newer = PostDocument.of(id, 1, "VIDEO", "newer " + word(), null, null, null,
				System.currentTimeMillis(), 0, 0, 0, 0, 0);
		PostDocument older = PostDocument.of(id, 1, "VIDEO", "older " + word(), null, null, null,
				System.currentTimeMillis(), 0, 0, 0, 0, 0);
		PostIndex.BulkOutcome first = this.index
			.write(List.of(PostIndex.operation(target, new DocChange(id, 2_000, newer))));
		PostIndex.BulkOutcome late = this.index
			.write(List.of(PostIndex.operation(target, new DocChange(id, 1_000, older))));
		PostIndex.BulkOutcome replay = this.index
			.write(List.of(PostIndex.operation(target, new DocChange(id, 2_000, newer))));
		assertThat(first.applied()).isEqualTo(1);
		assertThat(late.stale()).as("the older write is refused").isEqualTo(1);
		assertThat(replay.applied()).as("the same write replayed is accepted").isEqualTo(1);
		assertThat(indexed(target, id)).containsEntry(id, newer.fp());
		// An older delete doesn't remove a newer document either; a newer one does.
		assertThat(this.index.write(List.of(PostIndex.operation(target, new DocChange(id, 1_500, null)))).stale())
			.isEqualTo(1);
		assertThat(indexed(target, id)).containsKey(id);
		this.index.write(List.of(PostIndex.operation(target, new DocChange(id, 3_000, null))));
		assertThat(indexed(target, id)).isEmpty();
		// ... and the older write replayed after the delete stays out.
		assertThat(this.index.write(List.of(PostIndex.operation(target, new DocChange(id, 2_000, newer)))).stale())
			.isEqualTo(1);
	}

	@Test
	void aReplayedChangeOfADeletedPostDeletesInsteadOfResurrecting() {
		String marker = word();
		String post = publish(this.author, "replayed " + marker);
		awaitResults(marker, List.of(post));
		long id = Long.parseLong(post);
		this.jdbc.update("DELETE FROM posts WHERE id = ?", id);
		// What a replay of the post's original INSERT event turns into: the document read
		// back now.
		List<DocChange> changes = this.source.changes(Map.of(id, 1L));
		assertThat(changes).singleElement().satisfies(c -> assertThat(c.delete()).isTrue());
		awaitResults(marker, List.of());
	}

	@Test
	void chineseAndEnglishQueriesRankByTextPopularityAndRecency() {
		String tag = word();
		String beijing = publish(this.author, "北京天安门广场夜景 " + tag);
		String shanghai = publish(this.author, "上海外滩的夜景 " + tag);
		String running = publish(this.author, "Morning running routine " + tag);
		awaitResults(tag, List.of(beijing, shanghai, running));
		// Word segmentation: a word inside a longer Chinese title is found, another
		// city's is not.
		assertThat(search("天安门 " + tag).string("$.items[0].id")).isEqualTo(beijing);
		assertThat(search("北京").strings("$.items[*].id")).contains(beijing).doesNotContain(shanghai, running);
		// English is stemmed: "runs" finds "running".
		assertThat(search("runs").strings("$.items[*].id")).contains(running).doesNotContain(beijing);

		// Popularity: two equally matching posts; the liked one ranks first once counts
		// arrive.
		String pop = word();
		String quiet = publish(this.author, "cat video " + pop);
		String loved = publish(this.author, "cat video " + pop);
		awaitResults(pop, List.of(quiet, loved));
		this.jdbc.update("INSERT INTO post_counters (post_id, likes, views, version) VALUES (?, 500, 20000, 1)",
				Long.parseLong(loved));
		await().atMost(SYNCED).until(() -> search(pop).strings("$.items[*].id").equals(List.of(loved, quiet)));

		// Recency: the same text a month older ranks below today's.
		String age = word();
		String fresh = publish(this.author, "travel diary " + age);
		long old = this.ids.next();
		Instant monthAgo = Instant.now().minus(Duration.ofDays(30));
		this.jdbc.update(
				"INSERT INTO posts (id, author_id, type, title, media, created_at) VALUES (?, ?, 'IMAGE', ?, 'https://cdn.example/a.jpg', ?)",
				old, this.author.id(), "travel diary " + age, Timestamp.from(monthAgo));
		awaitResults(age, List.of(fresh, Long.toString(old)));
		assertThat(search(age).strings("$.items[*].id")).containsExactly(fresh, Long.toString(old));
	}

	@Test
	void pagesFollowTheCursorWithoutGapsOrRepeats() {
		String marker = word();
		List<String> all = new ArrayList<>();
		for (int i = 0; i < 23; i++) {
			all.add(publish(this.author, "page " + marker + " " + i));
		}
		awaitResults(marker, all);
		Set<String> seen = new HashSet<>();
		String cursor = null;
		int pages = 0;
		do {
			Reply page = this.api.get("/api/search?size=10&q=" + marker + (cursor == null ? "" : "&cursor=" + cursor),
					this.author.token());
			assertThat(page.status()).isEqualTo(200);
			for (String id : page.strings("$.items[*].id")) {
				assertThat(seen.add(id)).as("repeated " + id).isTrue();
			}
			cursor = page.json("$.cursor");
			pages++;
		}
		while (cursor != null && pages < 10);
		assertThat(seen).containsExactlyInAnyOrderElementsOf(all);
		assertThat(pages).isEqualTo(3);

		// Issue 22: the general rule (?last_id= from the page) pages search the same way,
		// and a page
		// with nothing after it says so.
		Set<String> byLastId = new HashSet<>();
		String lastId = null;
		Reply page;
		do {
			page = this.api.get("/api/search?size=10&q=" + marker + (lastId == null ? "" : "&last_id=" + lastId),
					this.author.token());
			for (String id : page.strings("$.items[*].id")) {
				assertThat(byLastId.add(id)).as("repeated " + id).isTrue();
			}
			lastId = page.json("$.last_id");
			assertThat(page.<Boolean>json("$.has_more")).isEqualTo(lastId != null);
		}
		while (lastId != null && byLastId.size() < 100);
		assertThat(byLastId).containsExactlyInAnyOrderElementsOf(all);
		Reply exact = this.api.get("/api/search?size=23&q=" + marker, this.author.token());
		assertThat(exact.<Boolean>json("$.has_more")).as("exactly a page of matches: nothing follows").isFalse();
		assertThat(exact.<String>json("$.last_id")).isNull();
	}

	@Test
	void badQueriesAnswerProblems() {
		assertThat(this.api.get("/api/search?q=", this.author.token()).status()).isEqualTo(400);
		assertThat(this.api.get("/api/search", this.author.token()).status()).isEqualTo(400);
		assertThat(this.api.get("/api/search?q=" + "a".repeat(201), this.author.token()).status()).isEqualTo(400);
		assertThat(this.api.get("/api/search?q=x&size=0", this.author.token()).status()).isEqualTo(400);
		assertThat(this.api.get("/api/search?q=x&cursor=bm9wZQ", this.author.token()).status()).isEqualTo(400);
		assertThat(this.api.get("/api/search?q=x", null).status()).isEqualTo(401);
		assertThat(this.api.post("/api/admin/search/rebuild", this.author.token(), null).status()).isEqualTo(403);
		// Query syntax is never interpreted: operators are just text.
		assertThat(this.api
			.get("/api/search?q="
					+ java.net.URLEncoder.encode("title:(a OR \"b", java.nio.charset.StandardCharsets.UTF_8),
					this.author.token())
			.status()).isEqualTo(200);
	}

	@Test
	void aRebuildWhileWritingMissesNothing() throws Exception {
		String marker = word();
		AtomicBoolean writing = new AtomicBoolean(true);
		AtomicInteger written = new AtomicInteger();
		List<Long> created = java.util.Collections.synchronizedList(new ArrayList<>());
		Thread writer = Thread.ofPlatform().start(() -> {
			while (writing.get()) {
				long id = this.ids.next();
				this.jdbc.update(
						"INSERT INTO posts (id, author_id, type, title, media) VALUES (?, ?, 'VIDEO', ?, 'https://cdn.example/v.mp4')",
						id, this.author.id(), "rebuild " + marker + " " + written.incrementAndGet());
				created.add(id);
				if (written.get() % 10 == 0) {
					// Changes to already-copied rows during the copy, too.
					this.jdbc.update("UPDATE posts SET title = CONCAT(title, ' edited') WHERE id = ?",
							created.get(written.get() / 2));
				}
				// Paced (a few hundred rows a second at most): flat out, the backlog left
				// for the sync
				// grew with the rebuild's duration, i.e. with the size of the database,
				// and on a large
				// local database outran the catch-up bound below.
				LockSupport.parkNanos(2_000_000);
			}
		});
		Thread.sleep(500);
		String before = liveIndex();
		assertThat(this.api.post("/api/admin/search/rebuild", this.moderator.token(), null).status()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(90))
			.until(() -> !liveIndex().equals(before)
					&& !Boolean.TRUE.equals(this.redis.hasKey(RedisKeys.searchRebuildRequest("feed"))));
		Thread.sleep(500);
		writing.set(false);
		writer.join();
		assertThat(written.get()).isGreaterThan(20);
		await().atMost(SYNCED).until(() -> count(marker) == written.get());
		// Every document holds what MariaDB holds, edits included.
		Map<Long, PostDocument> truth = this.source.visible(created);
		Map<Long, String> indexed = this.index.fingerprints(liveIndex(), Long.MIN_VALUE, Long.MAX_VALUE);
		await().atMost(SYNCED).untilAsserted(() -> {
			Map<Long, String> now = this.index.fingerprints(liveIndex(), Long.MIN_VALUE, Long.MAX_VALUE);
			for (PostDocument doc : this.source.visible(created).values()) {
				assertThat(now.get(doc.id())).as("post " + doc.id()).isEqualTo(doc.fp());
			}
		});
		assertThat(truth).hasSize(written.get());
		assertThat(indexed).isNotEmpty();
	}

	@Test
	void reconciliationRepairsDriftTheBinlogCannotSee() throws Exception {
		String marker = word();
		String lost = publish(this.author, "lost " + marker);
		String tampered = publish(this.author, "tampered " + marker);
		awaitResults(marker, List.of(lost, tampered));
		String target = liveIndex();
		long ghost = this.ids.next();
		// Drift behind the sync's back: a document lost, one altered, one that never had
		// a row.
		this.index.client().delete(d -> d.index(target).id(lost));
		PostDocument altered = PostDocument.of(Long.parseLong(tampered), this.author.id(), "VIDEO",
				"tampered " + marker + " altered", null, null, null, System.currentTimeMillis(), 0, 0, 0, 0, 0);
		PostDocument phantom = PostDocument.of(ghost, this.author.id(), "VIDEO", "ghost " + marker, null, null, null,
				System.currentTimeMillis(), 0, 0, 0, 0, 0);
		ElasticsearchClient client = this.index.client();
		client.index(i -> i.index(target).id(tampered).document(altered));
		client.index(i -> i.index(target).id(Long.toString(ghost)).document(phantom));
		this.index.refresh(target);
		assertThat(search(marker).strings("$.items[*].id")).containsExactlyInAnyOrder(tampered, Long.toString(ghost));

		assertThat(this.api.post("/api/admin/search/reconcile", this.moderator.token(), null).status()).isEqualTo(202);
		awaitResults(marker, List.of(lost, tampered));
		Reply status = this.api.get("/api/admin/search/status", this.moderator.token());
		// Counts are JSON numbers, not strings (issue 22).
		assertThat(status.<Object>json("$.reconcile_missing")).isInstanceOf(Number.class);
		assertThat(((Number) status.json("$.reconcile_missing")).longValue()).isGreaterThanOrEqualTo(1);
		assertThat(((Number) status.json("$.reconcile_extra")).longValue()).isGreaterThanOrEqualTo(1);
		assertThat(((Number) status.json("$.reconcile_drifted")).longValue()).isGreaterThanOrEqualTo(1);
		assertThat(search(marker).strings("$.items[*].title")).doesNotContain("tampered " + marker + " altered");
	}

	@Test
	void lagIsMeasuredAndExported() {
		await().atMost(SYNCED).until(() -> {
			Reply status = this.api.get("/api/admin/search/status", this.moderator.token());
			Object age = status.json("$.lag_age_seconds");
			return age != null && ((Number) age).doubleValue() < 5;
		});
		Reply metrics = this.api.get("/actuator/prometheus", null);
		assertThat(metrics.body()).contains("feed_search_lag_seconds").contains("feed_search_lag_age_seconds");
	}

	/** The document's fingerprint as a search sees it (after a refresh). */
	private Map<Long, String> indexed(String target, long id) {
		this.index.refresh(target);
		return this.index.fingerprints(target, id - 1, id);
	}

	private long count(String marker) {
		Reply reply = this.api.get("/api/search?size=100&q=" + marker, this.author.token());
		long n = reply.strings("$.items[*].id").size();
		String cursor = reply.json("$.cursor");
		while (cursor != null) {
			reply = this.api.get("/api/search?size=100&q=" + marker + "&cursor=" + cursor, this.author.token());
			n += reply.strings("$.items[*].id").size();
			cursor = reply.json("$.cursor");
		}
		return n;
	}

	private String liveIndex() {
		return this.index.indicesOf(this.index.readAlias()).iterator().next();
	}

	private void awaitResults(String query, List<String> expected) {
		await().atMost(SYNCED)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> new HashSet<>(search(query).strings("$.items[*].id")).equals(new HashSet<>(expected)));
	}

	private Reply search(String q) {
		Reply reply = this.api.get(
				"/api/search?size=100&q=" + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8),
				this.author.token());
		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
		return reply;
	}

	private String publish(TestUser user, String title) {
		return Posts.publish(this.api, user, title);
	}

	/**
	 * A token no other test's posts contain, so each test searches only its own posts.
	 */
	private static String word() {
		StringBuilder b = new StringBuilder("zq");
		long n = System.nanoTime() ^ Double.doubleToLongBits(Math.random());
		for (int i = 0; i < 8; i++) {
			b.append((char) ('a' + Math.floorMod(n >> (i * 5), 26)));
		}
		return b.toString();
	}

}
