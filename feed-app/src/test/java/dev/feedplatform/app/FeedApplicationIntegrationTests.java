package dev.feedplatform.app;

import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Users;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/** The assembled app as `bin/platform up` runs it: migrations, every module, health and metrics. */
@SpringBootTest(classes = FeedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "feed.moderators=" + FeedApplicationIntegrationTests.MODERATOR)
@ActiveProfiles("demo")
// Closed after the class: its RocketMQ consumers must not linger in the groups the crash test controls.
@DirtiesContext
class FeedApplicationIntegrationTests {

	static final String MODERATOR = "13900000777";

	@Value("${local.server.port}")
	int port;

	@Test
	void healthReportsRedisMariaDbAndRocketMqUpWithoutAToken() {
		// The search component waits for the binlog sync's first heartbeat after start-up.
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(new Api(this.port).get("/actuator/health", null).body()).endsWith("\"status\":\"UP\"}"));
		Reply health = new Api(this.port).get("/actuator/health", null);
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.string("$.status")).as(health.body()).isEqualTo("UP");
		assertThat(health.string("$.components.redis.status")).isEqualTo("UP");
		assertThat(health.string("$.components.db.status")).isEqualTo("UP");
		assertThat(health.string("$.components.rocketMQ.status")).isEqualTo("UP");
		assertThat(health.string("$.components.idWorker.status")).isEqualTo("UP");
		assertThat(health.string("$.components.search.status")).isEqualTo("UP");
	}

	/** Issue 14: hosts, ports and errors are for moderators; everyone else sees statuses only. */
	@Test
	void healthDetailsAreShownToModeratorsOnly() {
		Api api = new Api(this.port);
		assertThat(api.get("/actuator/health", null).body()).doesNotContain("details").doesNotContain("nameServer");
		String user = Users.create(api, "plain").token();
		assertThat(api.get("/actuator/health", user).body()).doesNotContain("nameServer");
		Reply login = api.post("/api/auth/login", null, "{\"phone\":\"" + MODERATOR + "\",\"code\":\"1000\",\"nickname\":\"mod\"}");
		Reply detailed = api.get("/actuator/health", login.string("$.token"));
		assertThat(detailed.status()).isEqualTo(200);
		assertThat(detailed.string("$.components.rocketMQ.details.nameServer")).isNotBlank();
		assertThat(detailed.body()).contains("\"slot\"");
	}

	@Test
	void prometheusMetricsAreExposed() {
		Reply metrics = new Api(this.port).get("/actuator/prometheus", null);
		assertThat(metrics.status()).isEqualTo(200);
		assertThat(metrics.body()).contains("jvm_memory_used_bytes");
	}

	@Test
	void aUserLogsInWithTheDemoCodeAndFollowsAnother() {
		Api api = new Api(this.port);
		var alice = dev.feedplatform.testsupport.Users.create(api, "alice");
		var bob = dev.feedplatform.testsupport.Users.create(api, "bob");
		assertThat(api.post("/api/users/" + bob.id() + "/follow", alice.token(), null).status()).isEqualTo(204);
		assertThat(api.get("/api/users/" + bob.id(), alice.token()).number("$.followers")).isEqualTo(1);
		assertThat(api.delete("/api/users/" + bob.id() + "/follow", alice.token()).status()).isEqualTo(204);
		assertThat(api.get("/api/users/" + bob.id(), alice.token()).number("$.followers")).isZero();
	}

}
