package dev.feedplatform.app;

import java.util.List;

import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Users;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The assembled app as `bin/platform up` runs it: migrations, every module, health and
 * metrics.
 */
@SpringBootTest(classes = FeedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "feed.moderators=" + FeedApplicationIntegrationTests.MODERATOR)
@ActiveProfiles("demo")
// Closed after the class: its RocketMQ consumers must not linger in the groups the crash
// test controls.
@DirtiesContext
class FeedApplicationIntegrationTests {

	static final String MODERATOR = "13900000777";

	@Value("${local.server.port}")
	int port;

	@Autowired
	StringRedisTemplate redis;

	/**
	 * Issue 21: the app's own template (the one every module's scripts run on) refuses a
	 * script whose keys Redis Cluster would answer CROSSSLOT, here on standalone Redis
	 * too ({@code ScriptSlots}, installed by the runtime on every template bean).
	 */
	@Test
	void theAppsRedisTemplateRefusesAScriptWhoseKeysSpanTwoSlots() {
		// {foo} and {bar} hash to slots 12182 and 5061.
		List<String> keys = List.of("test:app-slots:{foo}", "test:app-slots:{bar}");
		RedisScript<Long> setBoth = RedisScript
			.of("redis.call('SET', KEYS[1], 1); redis.call('SET', KEYS[2], 1); return 1", Long.class);
		assertThatIllegalStateException().isThrownBy(() -> this.redis.execute(setBoth, keys))
			.withMessageContaining("CROSSSLOT");
		assertThat(this.redis.hasKey(keys.get(0))).isFalse();
	}

	@Test
	void healthReportsRedisMariaDbAndRocketMqUpWithoutAToken() {
		// The search component waits for the binlog sync's first heartbeat after
		// start-up.
		org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(new Api(this.port).get("/actuator/health", null).string("$.status"))
				.isEqualTo("UP"));
		Reply health = new Api(this.port).get("/actuator/health", null);
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.string("$.status")).as(health.body()).isEqualTo("UP");
		assertThat(health.string("$.components.redis.status")).isEqualTo("UP");
		assertThat(health.string("$.components.db.status")).isEqualTo("UP");
		assertThat(health.string("$.components.rocketMQ.status")).isEqualTo("UP");
		assertThat(health.string("$.components.idWorker.status")).isEqualTo("UP");
		assertThat(health.string("$.components.search.status")).isEqualTo("UP");
		// What the load balancer checks (bin/platform haproxy-config): this node, not the
		// shared stores.
		Reply readiness = new Api(this.port).get("/actuator/health/readiness", null);
		assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
		assertThat(readiness.string("$.status")).isEqualTo("UP");
		assertThat(readiness.body()).doesNotContain("redis").doesNotContain("rocketMQ");
	}

	/**
	 * Issue 14: hosts, ports and errors are for moderators; everyone else sees statuses
	 * only.
	 */
	@Test
	void healthDetailsAreShownToModeratorsOnly() {
		Api api = new Api(this.port);
		assertThat(api.get("/actuator/health", null).body()).doesNotContain("details").doesNotContain("nameServer");
		String user = Users.create(api, "plain").token();
		assertThat(api.get("/actuator/health", user).body()).doesNotContain("nameServer");
		Reply login = api.post("/api/auth/login", null,
				"{\"phone\":\"" + MODERATOR + "\",\"code\":\"1000\",\"nickname\":\"mod\"}");
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
	 * Issue 15: what Tomcat answers itself, before any servlet — an encoded slash,
	 * backslash or NUL in the path, a request line or header over its limit, a negative
	 * Content-Length — and what the container routes to /error (TRACE) are RFC 9457
	 * problem details with a 4xx status, not an HTML page or Spring's default error JSON.
	 */
	@Test
	void tomcatsOwnErrorsAreProblemDetailsWithA4xxStatus() throws Exception {
		String token = Users.create(new Api(this.port), "raw").token();
		List<String> requests = List.of(
				"GET /api/timeline?last_id=% HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
						+ "\r\nConnection: close\r\n\r\n",
				"GET /api/timeline?size=%G1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
						+ "\r\nConnection: close\r\n\r\n",
				"GET /api/posts/1%2F2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
				"GET /api/posts/1%5C2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
				"GET /api/posts/1%002 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
				"GET /api/timeline?" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
				"GET /api/timeline HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9_000)
						+ "\r\nConnection: close\r\n\r\n",
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
			assertThat(response).as(label + ": one problem shape, no type (about:blank)").doesNotContain("\"type\"");
		}
	}

	/**
	 * Every route of the contract ({@code ../shared/API.md}, copied here so a clone
	 * without it still checks) is in the OpenAPI document generated from the controllers,
	 * and the browsable UI is served; both without a token (issue 22). Path variable
	 * names may differ, so they are compared as {@code {}}.
	 */
	@Test
	void theOpenApiDocumentListsEveryRouteOfTheContract() {
		List<String> contract = List.of("DELETE /api/im/groups/{id}/members/{userId}",
				"DELETE /api/moderation/blacklist/{postId}", "DELETE /api/posts/{id}",
				"DELETE /api/posts/{id}/favorite", "DELETE /api/posts/{id}/like", "DELETE /api/users/{id}/follow",
				"GET /api/counters", "GET /api/gifts", "GET /api/im/conversations",
				"GET /api/im/conversations/{id}/messages", "GET /api/im/groups/{id}", "GET /api/im/presence",
				"GET /api/orders/{id}", "GET /api/pk", "GET /api/pk/{id}", "GET /api/posts/{id}",
				"GET /api/posts/{id}/comments", "GET /api/rooms", "GET /api/rooms/{id}/barrage",
				"GET /api/rooms/{id}/cart", "GET /api/rooms/{id}/gifts/top",
				"GET /api/rooms/{id}/red-packet-rains/{rainId}", "GET /api/rooms/{id}/shelf", "GET /api/search",
				"GET /api/timeline", "GET /api/users/me", "GET /api/users/me/favorites", "GET /api/users/me/history",
				"GET /api/users/me/likes", "GET /api/users/{id}", "GET /api/users/{id}/followers",
				"GET /api/users/{id}/following", "GET /api/users/{id}/posts", "GET /api/wallet",
				"GET /api/wallet/entries", "GET /api/wallet/recharges/{id}", "POST /api/auth/code",
				"POST /api/auth/login", "POST /api/goods", "POST /api/im/conversations/{id}/read",
				"POST /api/im/groups", "POST /api/im/groups/{id}/members", "POST /api/moderation/blacklist/{postId}",
				"POST /api/moderation/goods/{id}/approve", "POST /api/moderation/red-packet-grants/{userId}",
				"POST /api/orders/{id}/pay", "POST /api/payments/callback", "POST /api/pk", "POST /api/pk/{id}/accept",
				"POST /api/posts", "POST /api/posts/{id}/comments", "POST /api/posts/{id}/favorite",
				"POST /api/posts/{id}/like", "POST /api/posts/{id}/repost", "POST /api/posts/{id}/share",
				"POST /api/posts/{id}/views", "POST /api/rooms", "POST /api/rooms/{id}/close",
				"POST /api/rooms/{id}/gifts", "POST /api/rooms/{id}/orders", "POST /api/rooms/{id}/red-packet-rains",
				"POST /api/rooms/{id}/red-packet-rains/{rainId}/grab",
				"POST /api/rooms/{id}/red-packet-rains/{rainId}/start", "POST /api/rooms/{id}/shelf",
				"POST /api/users/{id}/follow", "POST /api/wallet/recharges", "PUT /api/rooms/{id}/cart");
		Api api = new Api(this.port);
		Reply docs = api.get("/v3/api-docs", null);
		assertThat(docs.status()).isEqualTo(200);
		java.util.Map<String, java.util.Map<String, Object>> paths = docs.json("$.paths");
		java.util.Set<String> documented = new java.util.HashSet<>();
		paths.forEach((path, operations) -> operations.keySet()
			.forEach(method -> documented
				.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.replaceAll("\\{[^}]*}", "{}"))));
		List<String> missing = contract.stream()
			.map(route -> route.replaceAll("\\{[^}]*}", "{}"))
			.filter(route -> !documented.contains(route))
			.toList();
		assertThat(missing).as("contract routes missing from /v3/api-docs").isEmpty();
		// the caller comes from the token, not a parameter
		assertThat(docs.body()).doesNotContain("\"viewer\"");
		assertThat(api.get("/swagger-ui/index.html", null).status()).isEqualTo(200);
	}

	/**
	 * Issue 22: a value of the wrong type names its field and the type expected; broken
	 * JSON says it is broken.
	 */
	@Test
	void aWrongTypeInTheBodyNamesTheFieldAndTheExpectedType() {
		Api api = new Api(this.port);
		String token = Users.create(api, "typo").token();
		Reply media = api.post("/api/posts", token,
				"{\"type\":\"VIDEO\",\"title\":\"t\",\"media\":\"https://x/y.mp4\"}");
		assertThat(media.status()).isEqualTo(400);
		assertThat(media.string("$.detail")).isEqualTo("media: expected an array");
		Reply pools = api.post("/api/rooms", token, "{\"title\":\"r\",\"pools\":\"many\"}");
		assertThat(pools.status()).isEqualTo(400);
		assertThat(pools.string("$.detail")).isEqualTo("pools: expected an integer");
		Reply broken = api.post("/api/posts", token, "{\"type\":");
		assertThat(broken.status()).isEqualTo(400);
		assertThat(broken.string("$.detail")).isEqualTo("malformed or unreadable JSON body");
	}

	/**
	 * Issue 22: an unknown route says so in the API's words, in the same problem shape as
	 * every other error.
	 */
	@Test
	void anUnknownRouteIsA404ProblemThatNamesTheRoute() {
		Api api = new Api(this.port);
		String token = Users.create(api, "lost").token();
		Reply unknown = api.get("/api/no/such/thing", token);
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.string("$.detail")).isEqualTo("no such route: GET /api/no/such/thing");
		assertThat(unknown.string("$.instance")).isEqualTo("/api/no/such/thing");
		assertThat(unknown.toString()).doesNotContain("static resource").doesNotContain("\"type\"");
		// a route that exists, about a missing post
		Reply known = api.get("/api/posts/999999999", token);
		assertThat(known.status()).isEqualTo(404);
		assertThat(known.string("$.detail")).doesNotContain("no such route");
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
