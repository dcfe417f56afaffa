package dev.feedplatform.app;

import java.util.List;
import java.util.Map;

import dev.feedplatform.runtime.ports.PostCounts;
import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Users;
import dev.feedplatform.testsupport.Users.TestUser;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detail page when the counter service can't answer: the page still comes back,
 * without counts, and says so in {@code degraded}. The outage is the counter port itself
 * failing (the counter server's boundary), not a fake Redis or database: those stay real.
 */
@SpringBootTest(classes = { FeedApplication.class, DegradedDetailIntegrationTests.CountsDown.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "feed.login.fixed-code=1000" })
@DirtiesContext
class DegradedDetailIntegrationTests {

	/**
	 * Registered only through {@code classes} above: unannotated, so no other context's
	 * component scan can pick it up.
	 */
	static class CountsDown {

		@Bean
		@Primary
		PostCounts unavailableCounts() {
			return new PostCounts() {
				@Override
				public Map<Long, Counts> counts(List<Long> postIds) {
					throw new IllegalStateException("counter service unavailable");
				}
			};
		}

	}

	@Value("${local.server.port}")
	int port;

	@Test
	void withoutCountsThePageDegradesAndSaysSo() {
		Api api = new Api(this.port);
		TestUser author = Users.create(api, "author");
		Reply published = api.post("/api/posts", author.token(),
				"{\"type\":\"IMAGE\",\"title\":\"t\",\"media\":[\"https://cdn.example/a.jpg\"]}");
		String post = published.string("$.id");
		Reply page = api.get("/api/posts/" + post, author.token());
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.string("$.post.id")).isEqualTo(post);
		assertThat(page.<Object>json("$.counts")).isNull();
		assertThat(page.strings("$.degraded")).containsExactly("counts");
		assertThat(page.<Boolean>json("$.liked_by_me")).isFalse();
	}

}
