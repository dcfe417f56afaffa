package dev.feedplatform.searchsync.query;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.feedplatform.common.posts.PostSummary;
import dev.feedplatform.runtime.ports.Blacklist;
import dev.feedplatform.searchsync.SearchTestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The search module booted alone ({@link SearchTestApplication}) against the real
 * MariaDB, Canal server and search node (issue 20: module integration tests beside the
 * code). Rows are written straight into MariaDB, as any writer might: the module must
 * find them through the binlog, follow an edit, drop a retracted post, and hide a
 * blacklisted one at query time without waiting for the index.
 */
@SpringBootTest(classes = SearchTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SearchModuleIntegrationTests {

	@Autowired
	PostSearch search;

	@Autowired
	Blacklist blacklist;

	@Autowired
	JdbcClient db;

	/** A token no other post contains, so each test searches only its own rows. */
	private static String word() {
		StringBuilder word = new StringBuilder("zm");
		for (int i = 0; i < 8; i++) {
			word.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
		}
		return word.toString();
	}

	/**
	 * A post row written straight into MariaDB, as any writer might; fanout_state 1, so
	 * the publish module (in other test runs on this database) never fans it out.
	 */
	private long insertPost(String type, String title, String media) {
		long id = ThreadLocalRandom.current().nextLong(1L << 50, 1L << 60);
		this.db.sql("INSERT INTO posts (id, author_id, type, title, media, fanout_state) VALUES (?, 7, ?, ?, ?, 1)")
			.params(id, type, title, media)
			.update();
		return id;
	}

	private List<String> found(String query) {
		return this.search.search(query, 10, null, 1L).items().stream().map(PostSummary::id).toList();
	}

	private void awaitFound(String query, List<String> ids) {
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.untilAsserted(() -> assertThat(found(query)).containsExactlyInAnyOrderElementsOf(ids));
	}

	@Test
	void aRowWrittenStraightIntoTheDatabaseIsFoundThenFollowsItsEditAndLeavesWhenRetracted() {
		String first = word();
		long id = insertPost("VIDEO", "module " + first, "https://cdn.example/v.mp4");
		awaitFound(first, List.of(Long.toString(id)));

		String second = word();
		this.db.sql("UPDATE posts SET title = ? WHERE id = ?").params("module " + second, id).update();
		awaitFound(second, List.of(Long.toString(id)));
		awaitFound(first, List.of());

		this.db.sql("UPDATE posts SET status = 1 WHERE id = ?").param(id).update();
		awaitFound(second, List.of());
	}

	@Test
	void aBlacklistedPostIsHiddenAtQueryTimeAndBackWhenLifted() {
		String word = word();
		long id = insertPost("IMAGE", "module " + word, "https://cdn.example/a.jpg");
		awaitFound(word, List.of(Long.toString(id)));

		this.blacklist.add(id, Blacklist.MODERATED);
		assertThat(found(word)).isEmpty();

		this.blacklist.remove(id, Blacklist.MODERATED);
		assertThat(found(word)).containsExactly(Long.toString(id));
	}

}
