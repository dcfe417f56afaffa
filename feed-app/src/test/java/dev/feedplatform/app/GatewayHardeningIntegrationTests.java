package dev.feedplatform.app;

import java.time.Duration;
import java.util.List;

import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Rooms;
import dev.feedplatform.testsupport.ImClient;
import dev.feedplatform.testsupport.Users;
import dev.feedplatform.testsupport.Users.TestUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15 on the WebSocket, on both servers that carry it (the gateway's Netty port and
 * Tomcat's {@code /ws}): protocol pings keep a connection alive past the idle timeout (3
 * s here); a closed room tells its viewers and takes no more barrage; chat and barrage
 * text with an unpaired surrogate get an error frame 400.
 */
@SpringBootTest(classes = FeedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "feed.login.fixed-code=1000", "feed.gateway.idle-timeout=3s" })
@DirtiesContext
class GatewayHardeningIntegrationTests {

	static final Duration WAIT = Duration.ofSeconds(10);

	@Value("${local.server.port}")
	int port;

	@Value("${local.gateway.port}")
	int gatewayPort;

	Api api;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void protocolPingsAloneKeepAConnectionOpenPastTheIdleTimeoutAndSilenceClosesIt(boolean onGateway) throws Exception {
		int port = onGateway ? this.gatewayPort : this.port;
		TestUser user = Users.create(this.api, "pinger");
		ImClient pinging = ImClient.connect(port, user.token(), null);
		ImClient silent = ImClient.connect(port, user.token(), null);
		for (int i = 0; i < 9; i++) { // 9 × 0.8 s = 7.2 s, over twice the idle timeout
			pinging.protocolPing();
			Thread.sleep(800);
		}
		assertThat(pinging.isClosed()).as("kept alive by protocol pings").isFalse();
		pinging.send("{\"type\":\"ping\"}");
		pinging.await(f -> "pong".equals(f.read("$.type")), WAIT);
		// the idle timeout still holds for a silent client
		await().atMost(WAIT).until(silent::isClosed);
		pinging.close();
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void aClosedRoomTellsItsViewersAndTakesNoMoreBarrage(boolean onGateway) throws Exception {
		int port = onGateway ? this.gatewayPort : this.port;
		TestUser owner = Users.create(this.api, "owner");
		String room = Rooms.open(this.api, owner, "closing");
		ImClient viewer = ImClient.connect(port, Users.create(this.api, "viewer").token(), null);
		viewer.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
		viewer.await(f -> "joined".equals(f.read("$.type")), WAIT);
		viewer.send("{\"type\":\"barrage\",\"room\":\"" + room + "\",\"text\":\"before close\"}");
		await().atMost(WAIT).until(() -> barrage(room, owner).contains("before close"));

		assertThat(this.api.post("/api/rooms/" + room + "/close", owner.token(), null).status()).isEqualTo(204);
		viewer.await(f -> "closed".equals(f.read("$.type")) && room.equals(f.read("$.room")), WAIT);
		viewer.send("{\"type\":\"barrage\",\"room\":\"" + room + "\",\"text\":\"after close\"}");
		assertThat(viewer.error(null).<Integer>read("$.status")).isEqualTo(404);
		ImClient late = ImClient.connect(port, Users.create(this.api, "late").token(), null);
		late.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
		assertThat(late.error(null).<Integer>read("$.status")).isEqualTo(404);
		Thread.sleep(1000); // anything accepted would have reached the replay by now
		assertThat(barrage(room, owner)).contains("before close").doesNotContain("after close");
		assertThat(viewer.frames()).noneMatch(f -> f.contains("after close"));
		viewer.close();
		late.close();
	}

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void chatAndBarrageWithAnUnpairedSurrogateGetAnErrorFrame400(boolean onGateway) {
		int port = onGateway ? this.gatewayPort : this.port;
		TestUser alice = Users.create(this.api, "alice");
		TestUser bob = Users.create(this.api, "bob");
		String room = Rooms.open(this.api, alice, "text");
		ImClient client = ImClient.connect(port, alice.token(), "alice-" + onGateway);
		client.send("{\"type\":\"chat\",\"to\":\"" + bob.id() + "\",\"client_seq\":1,\"text\":\"ab\\ud83dcd\"}");
		assertThat(client.error(1L).<Integer>read("$.status")).isEqualTo(400);
		client.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
		client.await(f -> "joined".equals(f.read("$.type")), WAIT);
		client.send("{\"type\":\"barrage\",\"room\":\"" + room + "\",\"text\":\"end\\ud83d\"}");
		await().atMost(WAIT)
			.until(() -> client.frames()
				.stream()
				.anyMatch(f -> f.contains("\"status\":400") && !f.contains("client_seq")));
		client.send("{\"type\":\"chat\",\"to\":\"" + bob.id() + "\",\"client_seq\":2,\"text\":\"ok \\ud83d\\ude00\"}");
		assertThat(client.sent(2).<Integer>read("$.seq")).isPositive();
		client.close();
	}

	private List<String> barrage(String room, TestUser reader) {
		long now = System.currentTimeMillis();
		return this.api
			.get("/api/rooms/" + room + "/barrage?from_ms=" + (now - 60_000) + "&to_ms=" + (now + 1000), reader.token())
			.strings("$.items[*].text");
	}

}
