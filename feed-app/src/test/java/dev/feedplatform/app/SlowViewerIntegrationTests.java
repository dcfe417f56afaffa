package dev.feedplatform.app;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Users;
import dev.feedplatform.testsupport.Users.TestUser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A viewer that stops reading is dropped once its bounded send queue overflows, and the
 * others in the room keep getting every barrage meanwhile. The slow viewer is a raw
 * socket with a tiny receive buffer that completes the handshake, joins, and then never
 * reads.
 */
@SpringBootTest(classes = { FeedApplication.class, SlowViewerIntegrationTests.SmallSendBuffers.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "feed.login.fixed-code=1000", "feed.barrage.room-rate=100000",
				"feed.gateway.frames-per-second=2000", "feed.gateway.burst=2000", "feed.gateway.send-time-limit=1s",
				"feed.gateway.socket-send-buffer=4096", BarrageIntegrationTests.GROUP })
@DirtiesContext
class SlowViewerIntegrationTests {

	private static final int BARRAGE = 3_000;

	/**
	 * A fixed 4 KiB socket send buffer on the server (instead of kernel autotuning up to
	 * MiBs), so a viewer that stops reading backs up into the gateway's own bounded queue
	 * within a test's worth of data. Registered only through {@code classes}:
	 * unannotated, so no other context scans it.
	 */
	static class SmallSendBuffers {

		@Bean
		TomcatConnectorCustomizer smallSendBuffer() {
			return connector -> connector.setProperty("socket.txBufSize", "4096");
		}

	}

	@Value("${local.server.port}")
	int appPort;

	@Value("${local.gateway.port}")
	int gatewayPort;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	dev.feedplatform.runtime.messaging.RocketMq rocketMq;

	@ParameterizedTest
	@ValueSource(booleans = { false, true })
	void aViewerThatStopsReadingIsDroppedWithoutDelayingTheRoom(boolean onGateway) throws Exception {
		int port = onGateway ? this.gatewayPort : this.appPort;
		// the router consumes every barrage queue
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.rocketMq.lockedQueues(BarrageIntegrationTests.GROUP_NAME) == this.rocketMq
				.queuesOf("feed-barrage"));
		Api api = new Api(this.appPort);
		TestUser owner = Users.create(api, "owner");
		String room = api.post("/api/rooms", owner.token(), "{\"title\":\"room\"}").string("$.id");
		String presence = RedisKeys.roomPresence(Long.parseLong(room));

		try (Socket slow = new Socket()) {
			slow.setReceiveBufferSize(1024);
			slow.connect(new java.net.InetSocketAddress("127.0.0.1", port));
			handshake(slow, port, Users.create(api, "slow").token());
			sendMaskedText(slow.getOutputStream(), "{\"type\":\"join\",\"room\":\"" + room + "\"}");

			LiveRoomIntegrationTests.Frames frames = new LiveRoomIntegrationTests.Frames();
			WebSocket fast = HttpClient.newHttpClient()
				.newWebSocketBuilder()
				.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?token=" + owner.token()), frames)
				.join();
			fast.sendText("{\"type\":\"join\",\"room\":\"" + room + "\"}", true).join();
			assertThat(frames.next()).contains("joined");
			await().atMost(Duration.ofSeconds(5)).until(() -> this.redis.opsForZSet().zCard(presence) == 2);

			String text = "x".repeat(95);
			for (int i = 0; i < BARRAGE; i++) {
				fast.sendText("{\"type\":\"barrage\",\"room\":\"" + room + "\",\"text\":\"" + text + i + "\"}", true)
					.join();
			}
			int received = 0;
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (received < BARRAGE && System.nanoTime() < deadline) {
				String frame = frames.next();
				int at = 0;
				while ((at = frame.indexOf("\"type\":\"barrage\"", at)) >= 0) {
					received++;
					at++;
				}
			}
			assertThat(received).as("the reading viewer got every barrage").isEqualTo(BARRAGE);
			// The one that never read was cut off: it left the room's presence.
			await().atMost(Duration.ofSeconds(10)).until(() -> this.redis.opsForZSet().zCard(presence) == 1);
			fast.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
		}
	}

	private static void handshake(Socket socket, int port, String token) throws Exception {
		OutputStream out = socket.getOutputStream();
		out.write(("GET /ws?token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		InputStream in = socket.getInputStream();
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			assertThat(b).isNotNegative();
			head.append((char) b);
		}
		assertThat(head.toString()).startsWith("HTTP/1.1 101");
	}

	/** A client text frame (clients must mask) with a payload under 126 bytes. */
	private static void sendMaskedText(OutputStream out, String text) throws Exception {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		byte[] mask = new byte[4];
		ThreadLocalRandom.current().nextBytes(mask);
		byte[] frame = new byte[2 + 4 + payload.length];
		frame[0] = (byte) 0x81;
		frame[1] = (byte) (0x80 | payload.length);
		System.arraycopy(mask, 0, frame, 2, 4);
		for (int i = 0; i < payload.length; i++) {
			frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
		}
		out.write(frame);
		out.flush();
	}

}
