package dev.feedplatform.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Rooms;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Users;
import dev.feedplatform.testsupport.Users.TestUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Live rooms and the WebSocket gateway over real sockets: the protocol tests run against
 * both servers that carry it, {@code /ws} on the application port (Tomcat) and the
 * gateway's own port (Netty).
 */
@SpringBootTest(classes = FeedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "feed.login.fixed-code=1000", "feed.gateway.frames-per-second=20", "feed.gateway.burst=20" })
@DirtiesContext
class LiveRoomIntegrationTests {

	@Value("${local.server.port}")
	int port;

	@Value("${local.gateway.port}")
	int gatewayPort;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	io.micrometer.core.instrument.MeterRegistry meters;

	Api api;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
	}

	@Test
	void aRoomOpensLinkedToItsOwnersPostIsListedAndClosesForItsOwnerOnly() {
		TestUser owner = Users.create(this.api, "owner");
		TestUser other = Users.create(this.api, "other");
		String post = this.api
			.post("/api/posts", owner.token(),
					"{\"type\":\"VIDEO\",\"title\":\"live soon\",\"media\":[\"https://cdn.example/v.mp4\"]}")
			.string("$.id");
		// cached now
		assertThat(this.api.get("/api/posts/" + post, owner.token()).<Object>json("$.post.live_room_id")).isNull();
		assertThat(this.api.post("/api/rooms", other.token(), "{\"title\":\"not mine\",\"post_id\":\"" + post + "\"}")
			.status()).isEqualTo(403);
		Reply opened = this.api.post("/api/rooms", owner.token(),
				"{\"title\":\"live now\",\"post_id\":\"" + post + "\"}");
		assertThat(opened.status()).isEqualTo(201);
		String room = opened.string("$.id");
		assertThat(opened.string("$.status")).isEqualTo("OPEN");
		assertThat(opened.string("$.owner_id")).isEqualTo(Long.toString(owner.id()));
		assertThat(this.api.get("/api/rooms?size=100", other.token()).strings("$.items[*].id")).contains(room);
		// The post's change reaches the cached detail page through an event, not through
		// the writer.
		await().atMost(Duration.ofSeconds(20))
			.until(() -> room.equals(this.api.get("/api/posts/" + post, other.token()).string("$.post.live_room_id")));

		assertThat(this.api.post("/api/rooms/" + room + "/close", other.token(), null).status()).isEqualTo(403);
		assertThat(this.api.post("/api/rooms/" + room + "/close", owner.token(), null).status()).isEqualTo(204);
		assertThat(this.api.post("/api/rooms/" + room + "/close", owner.token(), null).status()).isEqualTo(204);
		assertThat(this.api.get("/api/rooms?size=100", other.token()).strings("$.items[*].id")).doesNotContain(room);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.api.get("/api/posts/" + post, other.token()).<Object>json("$.post.live_room_id") == null);

		assertThat(this.api.post("/api/rooms", owner.token(), "{\"title\":\"\"}").status()).isEqualTo(400);
		assertThat(this.api.post("/api/rooms", owner.token(), "{\"title\":\"x\",\"post_id\":\"999999999\"}").status())
			.isEqualTo(404);
		assertThat(this.api.post("/api/rooms/abc/close", owner.token(), null).status()).isEqualTo(400);
		assertThat(this.api.post("/api/rooms/999999999/close", owner.token(), null).status()).isEqualTo(404);
	}

	/** Issue 22: a post links to one open room at a time, also when two opens race. */
	@Test
	void aPostHasAtMostOneOpenRoomAndItsLinkNamesIt() throws Exception {
		TestUser owner = Users.create(this.api, "owner");
		String post = this.api
			.post("/api/posts", owner.token(),
					"{\"type\":\"VIDEO\",\"title\":\"one room\",\"media\":[\"https://cdn.example/v.mp4\"]}")
			.string("$.id");
		String body = "{\"title\":\"live\",\"post_id\":\"" + post + "\"}";
		List<Integer> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
		List<String> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
		try (java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
			List<java.util.concurrent.Future<?>> opens = new java.util.ArrayList<>();
			for (int i = 0; i < 8; i++) {
				opens.add(pool.submit(() -> {
					Reply reply = this.api.post("/api/rooms", owner.token(), body);
					statuses.add(reply.status());
					if (reply.status() == 201) {
						opened.add(reply.string("$.id"));
					}
				}));
			}
			for (java.util.concurrent.Future<?> open : opens) {
				open.get();
			}
		}
		assertThat(statuses).containsOnly(201, 409).filteredOn(status -> status == 201).hasSize(1);
		String first = opened.get(0);
		Reply refused = this.api.post("/api/rooms", owner.token(), body);
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.string("$.detail")).contains("already has an open room");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> first.equals(this.api.get("/api/posts/" + post, owner.token()).string("$.post.live_room_id")));

		// Closed, the post is free again and the link follows the new room.
		assertThat(this.api.post("/api/rooms/" + first + "/close", owner.token(), null).status()).isEqualTo(204);
		Reply second = this.api.post("/api/rooms", owner.token(), body);
		assertThat(second.status()).isEqualTo(201);
		String now = second.string("$.id");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> now.equals(this.api.get("/api/posts/" + post, owner.token()).string("$.post.live_room_id")));
		assertThat(this.api.post("/api/rooms/" + now + "/close", owner.token(), null).status()).isEqualTo(204);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.api.get("/api/posts/" + post, owner.token()).<Object>json("$.post.live_room_id") == null);
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void theHandshakeNeedsAValidToken(boolean onGateway) {
		int port = onGateway ? this.gatewayPort : this.port;
		for (String query : new String[] { "", "?token=forged" }) {
			assertThatThrownBy(() -> connect(port, query, new Frames()).join()).isInstanceOf(CompletionException.class)
				.hasCauseInstanceOf(WebSocketHandshakeException.class)
				.satisfies(ex -> assertThat(((WebSocketHandshakeException) ex.getCause()).getResponse().statusCode())
					.isEqualTo(401));
		}
	}

	@Test
	void clientsAskWhereTheGatewayIsAndConnectThere() throws Exception {
		TestUser user = Users.create(this.api, "finder");
		assertThat(this.api.get("/api/gateway", null).status()).isEqualTo(401);
		Reply where = this.api.get("/api/gateway", user.token());
		assertThat(where.string("$.url")).isEqualTo("ws://127.0.0.1:" + this.gatewayPort + "/ws");
		assertThat(where.string("$.fallback")).isEqualTo("ws://127.0.0.1:" + this.port + "/ws");
		Frames frames = new Frames();
		WebSocket socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create(where.string("$.url") + "?token=" + user.token()), frames)
			.join();
		socket.sendText("{\"type\":\"ping\"}", true).join();
		assertThat(frames.next()).contains("pong");
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
	}

	@Test
	void theGatewayPortServesOnlyTheWebSocketAndAnswersWithProblemDetails() throws Exception {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		HttpResponse<String> other = http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.gatewayPort + "/api/rooms")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(other.statusCode()).isEqualTo(404);
		assertThat(other.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		HttpResponse<String> noToken = http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.gatewayPort + "/ws")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(noToken.statusCode()).isEqualTo(401);
		assertThat(noToken.body()).contains("\"status\":401").contains("missing bearer token");
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void viewersJoinPingAndGetErrorFramesForBadInputWithoutLosingTheConnection(boolean onGateway) throws Exception {
		int port = onGateway ? this.gatewayPort : this.port;
		TestUser owner = Users.create(this.api, "owner");
		String room = Rooms.open(this.api, owner, "room");
		Frames frames = new Frames();
		WebSocket socket = connect(port, "?token=" + owner.token(), frames).join();

		socket.sendText("{\"type\":\"ping\"}", true).join();
		assertThat(frames.next()).contains("\"type\":\"pong\"");
		socket.sendText("{\"type\":\"join\",\"room\":\"" + room + "\"}", true).join();
		assertThat(frames.next()).contains("\"type\":\"joined\"").contains("\"viewers\":1");
		socket.sendText("not json", true).join();
		assertThat(frames.next()).contains("\"status\":400");
		socket.sendText("{\"type\":\"join\",\"room\":\"999999999\"}", true).join();
		assertThat(frames.next()).contains("\"status\":404");
		socket.sendText("{\"type\":\"join\",\"room\":42}", true).join();
		assertThat(frames.next()).contains("\"status\":400");
		socket.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(62_000) + "\"}", true).join();
		assertThat(frames.next()).contains("\"status\":413");
		socket.sendText("{\"type\":\"warp\"}", true).join();
		assertThat(frames.next()).contains("\"status\":400");
		socket.sendBinary(java.nio.ByteBuffer.wrap(new byte[] { 1, 2, 3 }), true).join();
		assertThat(frames.next()).contains("\"status\":400");
		socket.sendText("{\"type\":\"ping\"}", true).join();
		// still connected after all of that
		assertThat(frames.next()).contains("\"type\":\"pong\"");

		Frames second = new Frames();
		WebSocket other = connect(port, "?token=" + Users.create(this.api, "viewer").token(), second).join();
		other.sendText("{\"type\":\"join\",\"room\":\"" + room + "\"}", true).join();
		assertThat(second.next()).contains("\"viewers\":2");
		assertThat(this.meters.get("feed.gateway.connections").gauge().value()).isGreaterThanOrEqualTo(2);
		// A connection that vanished without a close (its node died) stops counting once
		// its heartbeat is stale.
		this.redis.opsForZSet()
			.add(RedisKeys.roomPresence(Long.parseLong(room)), "dead-node/abc", System.currentTimeMillis() - 120_000);
		socket.sendText("{\"type\":\"leave\",\"room\":\"" + room + "\"}", true).join();
		assertThat(frames.next()).contains("\"type\":\"left\"");
		socket.sendText("{\"type\":\"join\",\"room\":\"" + room + "\"}", true).join();
		assertThat(frames.next()).contains("\"viewers\":2");
		other.abort(); // gone without a close frame
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.redis.opsForZSet().zCard(RedisKeys.roomPresence(Long.parseLong(room))) == 1);
		socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void aFrameFarOverTheLimitClosesTheConnectionWith1009(boolean onGateway) throws Exception {
		Frames frames = new Frames();
		WebSocket socket = connect(onGateway ? this.gatewayPort : this.port,
				"?token=" + Users.create(this.api, "big").token(), frames)
			.join();
		socket.sendText("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(100_000) + "\"}", true);
		assertThat(frames.closedWith()).isEqualTo(1009);
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void aConnectionSendingTooFastIsToldToSlowDown(boolean onGateway) throws Exception {
		TestUser user = Users.create(this.api, "fast");
		Frames frames = new Frames();
		WebSocket socket = connect(onGateway ? this.gatewayPort : this.port, "?token=" + user.token(), frames).join();
		for (int i = 0; i < 100; i++) {
			socket.sendText("{\"type\":\"ping\"}", true).join();
		}
		int pongs = 0;
		int limited = 0;
		for (int i = 0; i < 100; i++) {
			String frame = frames.next();
			if (frame.contains("pong")) {
				pongs++;
			}
			else if (frame.contains("\"status\":429")) {
				limited++;
			}
		}
		assertThat(limited).isPositive();
		// the burst (20 + 20) and what the rate refilled meanwhile
		assertThat(pongs).isBetween(40, 60);
	}

	private static java.util.concurrent.CompletableFuture<WebSocket> connect(int port, String query, Frames frames) {
		return HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws" + query), frames);
	}

	/** Collects text frames as they arrive. */
	static final class Frames implements WebSocket.Listener {

		private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

		private final StringBuilder partial = new StringBuilder();

		private final java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closed.completeExceptionally(error);
		}

		int closedWith() throws Exception {
			return this.closed.get(10, TimeUnit.SECONDS);
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				this.received.add(this.partial.toString());
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		String next() throws InterruptedException {
			String frame = this.received.poll(10, TimeUnit.SECONDS);
			assertThat(frame).as("a frame within 10 s").isNotNull();
			return frame;
		}

	}

}
