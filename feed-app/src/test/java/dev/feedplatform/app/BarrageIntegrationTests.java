package dev.feedplatform.app;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Rooms;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Users;
import dev.feedplatform.testsupport.Users.TestUser;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Barrage across two bridge nodes (this app and a second context with its own node id,
 * sharing only Redis, MariaDB and RocketMQ): routing, merged delivery, sampling, replay.
 * Viewers on node A sit on its gateway port (Netty), senders on node B on its application
 * port (Tomcat): the same protocol either way.
 */
@SpringBootTest(classes = FeedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "feed.login.fixed-code=1000", "feed.gateway.node-id=node-a", BarrageIntegrationTests.RATE,
				BarrageIntegrationTests.KEEP, BarrageIntegrationTests.FRAMES, BarrageIntegrationTests.BURST,
				BarrageIntegrationTests.GROUP })
@DirtiesContext
class BarrageIntegrationTests {

	static final String RATE = "feed.barrage.room-rate=20";

	static final String KEEP = "feed.barrage.sample-keep=0";

	static final String FRAMES = "feed.gateway.frames-per-second=200";

	static final String BURST = "feed.gateway.burst=200";

	/**
	 * Its own router group: orderly queue locks held by instances other tests SIGKILLed
	 * expire only after 60 s.
	 */
	static final String GROUP_NAME = "feed-barrage-router-it";

	static final String GROUP = "feed.barrage.router-group=" + GROUP_NAME;

	static ConfigurableApplicationContext nodeB;

	@Value("${local.server.port}")
	int port;

	@Value("${local.gateway.port}")
	int gatewayPort;

	@Autowired
	MeterRegistry meters;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	RocketMq rocketMq;

	Api api;

	int portB;

	@BeforeAll
	static void startNodeB() {
		nodeB = new SpringApplicationBuilder(FeedApplication.class).run("--server.port=0",
				"--spring.main.banner-mode=off", "--feed.login.fixed-code=1000", "--feed.gateway.node-id=node-b",
				"--" + RATE, "--" + KEEP, "--" + FRAMES, "--" + BURST, "--" + GROUP);
	}

	@AfterAll
	static void stopNodeB() {
		nodeB.close();
	}

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
		this.portB = nodeB.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		// Both routers have settled who consumes which queue (right after start, queues
		// change hands
		// and a barrage can wait one lock interval): every one of the topic's 8 queues is
		// locked.
		RocketMq a = this.rocketMq;
		RocketMq b = nodeB.getBean(RocketMq.class);
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> a.lockedQueues(GROUP_NAME) + b.lockedQueues(GROUP_NAME) == a.queuesOf("feed-barrage"));
	}

	@Test
	void aViewerOnNodeASeesBarrageSentOnNodeBInOrderAndReplayReturnsIt() throws Exception {
		TestUser owner = Users.create(this.api, "owner");
		TestUser sender = Users.create(this.api, "sender");
		String room = this.api.post("/api/rooms", owner.token(), "{\"title\":\"room\",\"pools\":3}").string("$.id");
		long start = System.currentTimeMillis();
		LiveRoomIntegrationTests.Frames viewerFrames = new LiveRoomIntegrationTests.Frames();
		WebSocket viewer = connect(this.gatewayPort, owner.token(), viewerFrames);
		join(viewer, viewerFrames, room);
		LiveRoomIntegrationTests.Frames senderFrames = new LiveRoomIntegrationTests.Frames();
		WebSocket onB = connect(this.portB, sender.token(), senderFrames);
		join(onB, senderFrames, room);
		for (int i = 0; i < 10; i++) {
			onB.sendText("{\"type\":\"barrage\",\"room\":\"" + room + "\",\"text\":\"b" + i + "\",\"offset_ms\":"
					+ (i * 100) + "}", true)
				.join();
		}
		List<String> seen = new ArrayList<>();
		while (seen.size() < 10) {
			String frame = viewerFrames.next();
			assertThat(frame).contains("\"type\":\"batch\"");
			Matcher text = Pattern.compile("\"text\":\"(b\\d+)\"").matcher(frame);
			while (text.find()) {
				seen.add(text.group(1));
			}
		}
		assertThat(seen).containsExactly("b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9");

		await().atMost(Duration.ofSeconds(10)).until(() -> replay(room, start).strings("$.items[*].text").size() == 10);
		Reply replay = replay(room, start);
		assertThat(replay.strings("$.items[*].text")).containsExactly("b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7",
				"b8", "b9");
		assertThat(replay.strings("$.items[*].from")).containsOnly(Long.toString(sender.id()));
		assertThat(this.api.get("/api/rooms/" + room + "/barrage?from_ms=5&to_ms=1", owner.token()).status())
			.isEqualTo(400);
		assertThat(this.api.get("/api/rooms/" + room + "/barrage?from_ms=x&to_ms=1", owner.token()).status())
			.isEqualTo(400);
		assertThat(this.api.get("/api/rooms/" + room + "/barrage?from_ms=0&to_ms=999999999999", owner.token()).status())
			.isEqualTo(400);
		assertThat(this.api.get("/api/rooms/999999999/barrage?from_ms=0&to_ms=1", owner.token()).status())
			.isEqualTo(404);
		onB.sendText("{\"type\":\"barrage\",\"room\":\"" + room + "\",\"text\":\"" + "x".repeat(101) + "\"}", true)
			.join();
		String answer = senderFrames.next();
		// the sender is a viewer too: its own room's batches come first
		while (answer.contains("\"type\":\"batch\"")) {
			answer = senderFrames.next();
		}
		assertThat(answer).contains("\"status\":400");
		viewer.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
		onB.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
	}

	@Test
	void aNodeWithoutViewersOfARoomReceivesNoneOfItsTraffic() throws Exception {
		TestUser owner = Users.create(this.api, "owner");
		String room = Rooms.open(this.api, owner, "local");
		LiveRoomIntegrationTests.Frames frames = new LiveRoomIntegrationTests.Frames();
		WebSocket viewer = connect(this.gatewayPort, owner.token(), frames);
		join(viewer, frames, room);
		double onBBefore = received(nodeB.getBean(MeterRegistry.class));
		double onABefore = received(this.meters);
		for (int i = 0; i < 10; i++) {
			viewer.sendText("{\"type\":\"barrage\",\"room\":\"" + room + "\",\"text\":\"local" + i + "\"}", true)
				.join();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> received(this.meters) - onABefore >= 10);
		Thread.sleep(500);
		assertThat(received(nodeB.getBean(MeterRegistry.class)) - onBBefore).isZero();
		viewer.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
	}

	@Test
	void aBarrageTheBrokerDeliversTwiceReachesViewersOnce() throws Exception {
		TestUser owner = Users.create(this.api, "owner");
		String room = Rooms.open(this.api, owner, "twice");
		LiveRoomIntegrationTests.Frames frames = new LiveRoomIntegrationTests.Frames();
		WebSocket viewer = connect(this.gatewayPort, owner.token(), frames);
		join(viewer, frames, room);
		// What a router publishes to this node; a rebalance or a router's crash repeats
		// it.
		String batch = "{\"room\":\"" + room + "\",\"items\":[{\"type\":\"barrage\",\"id\":\"" + room
				+ "01\",\"room\":\"" + room + "\",\"from\":\"1\",\"text\":\"once\",\"ts\":1}]}";
		this.redis.convertAndSend(RedisKeys.bridgeNodeChannel("node-a"), batch);
		this.redis.convertAndSend(RedisKeys.bridgeNodeChannel("node-a"), batch);
		this.redis.convertAndSend(RedisKeys.bridgeNodeChannel("node-a"),
				batch.replace(room + "01\"", room + "02\"").replace("once", "next"));
		StringBuilder seen = new StringBuilder();
		while (!seen.toString().contains("\"next\"")) {
			seen.append(frames.next());
		}
		assertThat(seen.toString().split("\"once\"", -1)).as("\"once\" pushed exactly once").hasSize(2);
		viewer.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
	}

	@Test
	void batchesPublishedToANodeReachItsViewersInTheOrderTheyWerePublished() throws Exception {
		TestUser owner = Users.create(this.api, "owner");
		String room = Rooms.open(this.api, owner, "order");
		LiveRoomIntegrationTests.Frames frames = new LiveRoomIntegrationTests.Frames();
		WebSocket viewer = connect(this.gatewayPort, owner.token(), frames);
		join(viewer, frames, room);
		// One router publishes a room's batches in order; the node must push them in that
		// order.
		int n = 300;
		for (int i = 1; i <= n; i++) {
			this.redis.convertAndSend(RedisKeys.bridgeNodeChannel("node-a"),
					"{\"room\":\"" + room + "\",\"items\":[{\"type\":\"barrage\",\"id\":\"" + room
							+ String.format("%04d", i) + "\",\"room\":\"" + room + "\",\"from\":\"1\",\"text\":\"o" + i
							+ "\",\"ts\":1}]}");
		}
		List<Integer> seen = new ArrayList<>();
		Pattern text = Pattern.compile("\"text\":\"o(\\d+)\"");
		while (seen.size() < n) {
			Matcher m = text.matcher(frames.next());
			while (m.find()) {
				seen.add(Integer.parseInt(m.group(1)));
			}
		}
		assertThat(seen).isSorted().hasSize(n);
		viewer.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
	}

	@Test
	void aRoomOverItsRateIsSampledInsteadOfQueueing() throws Exception {
		TestUser owner = Users.create(this.api, "owner");
		String room = Rooms.open(this.api, owner, "busy");
		long start = System.currentTimeMillis();
		LiveRoomIntegrationTests.Frames frames = new LiveRoomIntegrationTests.Frames();
		WebSocket viewer = connect(this.port, owner.token(), frames);
		join(viewer, frames, room);
		for (int i = 0; i < 60; i++) {
			viewer.sendText("{\"type\":\"barrage\",\"room\":\"" + room + "\",\"text\":\"flood" + i + "\"}", true)
				.join();
		}
		Thread.sleep(2_000);
		int kept = replay(room, start).strings("$.items[*].text").size();
		// 20 per second are taken in full, the rest sampled at a keep share of 0: at most
		// two seconds' worth got in.
		assertThat(kept).isBetween(20, 40);
		viewer.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
	}

	@Test
	void aRoomsOwnRateAndSampleShareOverrideTheNodeDefaults() throws Exception {
		TestUser owner = Users.create(this.api, "owner");
		assertThat(this.api.post("/api/rooms", owner.token(), "{\"title\":\"x\",\"rate\":0}").status()).isEqualTo(400);
		assertThat(this.api.post("/api/rooms", owner.token(), "{\"title\":\"x\",\"sample_keep\":1.5}").status())
			.isEqualTo(400);
		Reply opened = this.api.post("/api/rooms", owner.token(), "{\"title\":\"calm\",\"rate\":5,\"sample_keep\":0}");
		assertThat(opened.status()).isEqualTo(201);
		assertThat(opened.<Integer>json("$.rate")).isEqualTo(5);
		String calm = opened.string("$.id");
		// A room open to everything: rate 20 by this node's setting, but it keeps every
		// barrage over it.
		String open = this.api.post("/api/rooms", owner.token(), "{\"title\":\"open\",\"sample_keep\":1}")
			.string("$.id");
		long start = System.currentTimeMillis();
		LiveRoomIntegrationTests.Frames frames = new LiveRoomIntegrationTests.Frames();
		WebSocket viewer = connect(this.gatewayPort, owner.token(), frames);
		join(viewer, frames, calm);
		join(viewer, frames, open);
		for (int i = 0; i < 40; i++) {
			viewer.sendText("{\"type\":\"barrage\",\"room\":\"" + calm + "\",\"text\":\"calm" + i + "\"}", true).join();
			viewer.sendText("{\"type\":\"barrage\",\"room\":\"" + open + "\",\"text\":\"open" + i + "\"}", true).join();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> replay(open, start).strings("$.items[*].text").size() == 40);
		// 5 a second in full, none of the rest: at most two or three seconds' worth.
		assertThat(replay(calm, start).strings("$.items[*].text").size()).isBetween(5, 15);
		viewer.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
	}

	private Reply replay(String room, long from) {
		return this.api.get(
				"/api/rooms/" + room + "/barrage?from_ms=" + from + "&to_ms=" + (System.currentTimeMillis() + 1000),
				Users.create(this.api, "late").token());
	}

	private static double received(MeterRegistry meters) {
		return meters.find("feed.barrage.node.received").counter().count();
	}

	private static void join(WebSocket socket, LiveRoomIntegrationTests.Frames frames, String room)
			throws InterruptedException {
		socket.sendText("{\"type\":\"join\",\"room\":\"" + room + "\"}", true).join();
		assertThat(frames.next()).contains("\"type\":\"joined\"");
	}

	private static WebSocket connect(int port, String token, LiveRoomIntegrationTests.Frames frames) {
		return HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.connectTimeout(Duration.ofSeconds(5))
			.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?token=" + token), frames)
			.join();
	}

}
