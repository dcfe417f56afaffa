package dev.feedplatform.user.follow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Users;
import dev.feedplatform.testsupport.Users.TestUser;
import dev.feedplatform.user.DemoLoginTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/** Follow, unfollow and their pages over HTTP against real MariaDB and Redis. */
@DemoLoginTest
class FollowIntegrationTests {

	@Value("${local.server.port}")
	int port;

	Api api;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
	}

	@Test
	void fiftyConcurrentFollowsOfTheSamePairCountOnceAndSoDoFiftyUnfollows() throws Exception {
		TestUser fan = Users.create(this.api, "fan");
		TestUser star = Users.create(this.api, "star");
		List<Integer> statuses = concurrently(50,
				() -> this.api.post("/api/users/" + star.id() + "/follow", fan.token(), null).status());
		assertThat(statuses).containsOnly(204);
		assertThat(profile(star, fan).number("$.followers")).isEqualTo(1);
		assertThat(profile(fan, fan).number("$.following")).isEqualTo(1);
		assertThat(profile(star, fan).<Boolean>json("$.followed_by_me")).isTrue();

		statuses = concurrently(50, () -> this.api.delete("/api/users/" + star.id() + "/follow", fan.token()).status());
		assertThat(statuses).containsOnly(204);
		assertThat(profile(star, fan).number("$.followers")).isZero();
		assertThat(profile(fan, fan).number("$.following")).isZero();
		assertThat(profile(star, fan).<Boolean>json("$.followed_by_me")).isFalse();
	}

	@Test
	void followAndUnfollowRacingOnOnePairLeaveCountsMatchingTheEdge() throws Exception {
		TestUser fan = Users.create(this.api, "fan");
		TestUser star = Users.create(this.api, "star");
		List<Integer> statuses = concurrently(40, new Callable<>() {
			int n;

			@Override
			public Integer call() {
				boolean follow;
				synchronized (this) {
					follow = this.n++ % 2 == 0;
				}
				String path = "/api/users/" + star.id() + "/follow";
				return follow ? FollowIntegrationTests.this.api.post(path, fan.token(), null).status()
						: FollowIntegrationTests.this.api.delete(path, fan.token()).status();
			}
		});
		assertThat(statuses).containsOnly(204);
		boolean edge = profile(star, fan).<Boolean>json("$.followed_by_me");
		assertThat(profile(star, fan).number("$.followers")).isEqualTo(edge ? 1 : 0);
		assertThat(profile(fan, fan).number("$.following")).isEqualTo(edge ? 1 : 0);
	}

	@Test
	void manyFansFollowingAtOnceAreAllCounted() throws Exception {
		TestUser star = Users.create(this.api, "star");
		List<TestUser> fans = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			fans.add(Users.create(this.api, "fan" + i));
		}
		List<Integer> statuses = concurrently(fans.size(), new Callable<>() {
			int next;

			@Override
			public Integer call() {
				TestUser fan;
				synchronized (this) {
					fan = fans.get(this.next++);
				}
				return FollowIntegrationTests.this.api.post("/api/users/" + star.id() + "/follow", fan.token(), null)
					.status();
			}
		});
		assertThat(statuses).containsOnly(204);
		assertThat(profile(star, star).number("$.followers")).isEqualTo(30);
	}

	@Test
	void twoUsersFollowingEachOtherConcurrentlyNeverDeadlockIntoAnError() throws Exception {
		TestUser a = Users.create(this.api, "a");
		TestUser b = Users.create(this.api, "b");
		List<Integer> statuses = concurrently(40, new Callable<>() {
			int n;

			@Override
			public Integer call() {
				int i;
				synchronized (this) {
					i = this.n++;
				}
				TestUser from = i % 2 == 0 ? a : b;
				TestUser to = i % 2 == 0 ? b : a;
				String path = "/api/users/" + to.id() + "/follow";
				Api api = FollowIntegrationTests.this.api;
				return (i / 2) % 2 == 0 ? api.post(path, from.token(), null).status()
						: api.delete(path, from.token()).status();
			}
		});
		assertThat(statuses).containsOnly(204);
		long aFollowsB = profile(b, a).<Boolean>json("$.followed_by_me") ? 1 : 0;
		long bFollowsA = profile(a, b).<Boolean>json("$.followed_by_me") ? 1 : 0;
		assertThat(profile(a, a).number("$.following")).isEqualTo(aFollowsB);
		assertThat(profile(a, a).number("$.followers")).isEqualTo(bFollowsA);
	}

	@Test
	void followingYourselfIs400AndFollowingNobodyIs404() {
		TestUser me = Users.create(this.api, "me");
		Reply self = this.api.post("/api/users/" + me.id() + "/follow", me.token(), null);
		assertThat(self.status()).isEqualTo(400);
		assertThat(self.isProblem()).isTrue();
		assertThat(this.api.post("/api/users/999999999/follow", me.token(), null).status()).isEqualTo(404);
		assertThat(this.api.get("/api/users/999999999", me.token()).status()).isEqualTo(404);
	}

	@Test
	void followerPagesHaveNoGapsOrDuplicatesWhileNewFollowersArrive() {
		TestUser star = Users.create(this.api, "star");
		Set<String> expected = new HashSet<>();
		for (int i = 0; i < 45; i++) {
			TestUser fan = Users.create(this.api, "fan" + i);
			this.api.post("/api/users/" + star.id() + "/follow", fan.token(), null);
			expected.add(Long.toString(fan.id()));
		}
		List<String> seen = new ArrayList<>();
		Reply page = this.api.get("/api/users/" + star.id() + "/followers?size=20", star.token());
		assertThat(page.strings("$.items[*].id")).hasSize(20);
		assertThat(page.<Boolean>json("$.has_more")).isTrue();
		seen.addAll(page.strings("$.items[*].id"));
		// A newcomer follows between pages: ids only grow, so it lands above the cursor,
		// never inside a later page.
		TestUser late = Users.create(this.api, "late");
		this.api.post("/api/users/" + star.id() + "/follow", late.token(), null);
		page = this.api.get("/api/users/" + star.id() + "/followers?size=20&last_id=" + page.string("$.last_id"),
				star.token());
		assertThat(page.strings("$.items[*].id")).hasSize(20);
		seen.addAll(page.strings("$.items[*].id"));
		page = this.api.get("/api/users/" + star.id() + "/followers?size=20&last_id=" + page.string("$.last_id"),
				star.token());
		assertThat(page.strings("$.items[*].id")).hasSize(5);
		assertThat(page.<Boolean>json("$.has_more")).isFalse();
		seen.addAll(page.strings("$.items[*].id"));

		assertThat(seen).doesNotHaveDuplicates();
		assertThat(new HashSet<>(seen)).isEqualTo(expected);
		List<Long> asNumbers = seen.stream().map(Long::valueOf).toList();
		assertThat(asNumbers).isSortedAccordingTo((x, y) -> Long.compare(y, x));
	}

	@Test
	void followingPageListsFolloweesAndShowsWhomTheViewerFollows() {
		TestUser reader = Users.create(this.api, "reader");
		TestUser other = Users.create(this.api, "other");
		TestUser x = Users.create(this.api, "x");
		TestUser y = Users.create(this.api, "y");
		this.api.post("/api/users/" + x.id() + "/follow", reader.token(), null);
		this.api.post("/api/users/" + y.id() + "/follow", reader.token(), null);
		this.api.post("/api/users/" + y.id() + "/follow", other.token(), null);
		Reply page = this.api.get("/api/users/" + reader.id() + "/following", other.token());
		assertThat(page.strings("$.items[*].id")).containsExactly(Long.toString(y.id()), Long.toString(x.id()));
		assertThat(page.<List<Boolean>>json("$.items[*].followed_by_me")).containsExactly(true, false);
	}

	@Test
	void anAccountBecomesBigAtTheThresholdAndStaysBigWhenFollowersLeave() {
		TestUser star = Users.create(this.api, "star");
		List<TestUser> fans = List.of(Users.create(this.api, "f1"), Users.create(this.api, "f2"),
				Users.create(this.api, "f3"));
		for (int i = 0; i < 2; i++) {
			this.api.post("/api/users/" + star.id() + "/follow", fans.get(i).token(), null);
		}
		assertThat(profile(star, star).<Boolean>json("$.big_account")).isFalse();
		this.api.post("/api/users/" + star.id() + "/follow", fans.get(2).token(), null);
		assertThat(profile(star, star).<Boolean>json("$.big_account")).isTrue();
		this.api.delete("/api/users/" + star.id() + "/follow", fans.get(2).token());
		this.api.delete("/api/users/" + star.id() + "/follow", fans.get(1).token());
		Reply after = profile(star, star);
		assertThat(after.number("$.followers")).isEqualTo(1);
		assertThat(after.<Boolean>json("$.big_account")).as("no demotion without migrating inboxes").isTrue();
	}

	@Test
	void followingBeyondTheLimitIs409() {
		TestUser reader = Users.create(this.api, "reader");
		for (int i = 0; i < 60; i++) {
			TestUser target = Users.create(this.api, "t" + i);
			assertThat(this.api.post("/api/users/" + target.id() + "/follow", reader.token(), null).status())
				.isEqualTo(204);
		}
		TestUser oneTooMany = Users.create(this.api, "extra");
		Reply refused = this.api.post("/api/users/" + oneTooMany.id() + "/follow", reader.token(), null);
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.isProblem()).isTrue();
	}

	private Reply profile(TestUser who, TestUser viewer) {
		Reply reply = this.api.get("/api/users/" + who.id(), viewer.token());
		assertThat(reply.status()).isEqualTo(200);
		return reply;
	}

	private static <T> List<T> concurrently(int n, Callable<T> call) throws Exception {
		try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, 50))) {
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < n; i++) {
				futures.add(pool.submit(call));
			}
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get());
			}
			return results;
		}
	}

}
