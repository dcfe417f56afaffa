package dev.feedplatform.app;

import java.util.List;

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

	/**
	 * Issue 15: what Tomcat answers itself, before any servlet — an encoded slash, backslash or NUL
	 * in the path, a request line or header over its limit, a negative Content-Length — and what the
	 * container routes to /error (TRACE) are RFC 9457 problem details with a 4xx status, not an
	 * HTML page or Spring's default error JSON.
	 */
	@Test
	void tomcatsOwnErrorsAreProblemDetailsWithA4xxStatus() throws Exception {
		String token = Users.create(new Api(this.port), "raw").token();
		List<String> requests = List.of(
				"GET /api/timeline?last_id=% HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n",
				"GET /api/timeline?size=%G1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n\r\n","GET /api/posts/1%2F2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
				"GET /api/posts/1%5C2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
				"GET /api/posts/1%002 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
				"GET /api/timeline?" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
				"GET /api/timeline HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9_000) + "\r\nConnection: close\r\n\r\n",
				"POST /api/posts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -5\r\nConnection: close\r\n\r\n",
				"TRACE /api/timeline HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
		for (String request : requests) {
			String response = raw(request);
			String head = response.substring(0, Math.max(0, response.indexOf("\r\n\r\n")));
			String label = request.substring(0, Math.min(50, request.length()));
			int status = Integer.parseInt(head.substring(9, 12));
			assertThat(status).as(label + " -> " + head).isBetween(400, 499);
			assertThat(head.toLowerCase()).as(label + " -> " + head).contains("content-type: application/problem+json");
			assertThat(response).as(label).contains("\"status\":" + status).doesNotContain("<html");
		}
	}

	private String raw(String request) throws Exception {
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
			socket.getOutputStream().flush();
			return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
	}

}
