package dev.feedplatform.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.jayway.jsonpath.DocumentContext;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.ImClient;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Users;
import dev.feedplatform.testsupport.Users.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RPermitExpirableSemaphore;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * IM across two bridge nodes (this app, "im-a", and a second context, "im-b", sharing
 * only Redis, MariaDB and RocketMQ), against the real stores: devices on both servers
 * (the gateway's Netty port and Tomcat's {@code /ws}), seq order, idempotent sends,
 * offline catch-up, sync racing live delivery, a group of 500, unread across devices,
 * Redis losing IM's keys, bad frames, the send rate, offline push (WireMock as the
 * provider) and presence.
 */
@SpringBootTest(classes = FeedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "feed.login.fixed-code=1000", "feed.gateway.node-id=im-a", ImIntegrationTests.FRAMES,
				ImIntegrationTests.BURST, ImIntegrationTests.RATE, ImIntegrationTests.PRESENCE,
				ImIntegrationTests.RETRY, ImIntegrationTests.NO_TEXT })
@DirtiesContext
class ImIntegrationTests {

	static final String FRAMES = "feed.gateway.frames-per-second=2000";

	static final String BURST = "feed.gateway.burst=2000";

	static final String RATE = "feed.im.send-rate=2000";

	static final String PRESENCE = "feed.im.presence-interval=300ms";

	/**
	 * Long enough that a prompt ack always comes first: retries are tested on their own.
	 */
	static final String RETRY = "feed.im.retry-initial=4s";

	static final String NO_TEXT = "feed.im.push-include-text=false";

	static final Duration WAIT = Duration.ofSeconds(20);

	static final WireMockServer provider = new WireMockServer(WireMockConfiguration.options().dynamicPort());

	static ConfigurableApplicationContext nodeB;

	@Value("${local.server.port}")
	int port;

	@Value("${local.gateway.port}")
	int gatewayA;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	RedissonClient redisson;

	@Autowired
	JdbcClient db;

	Api api;

	int gatewayB;

	int tomcatB;

	@DynamicPropertySource
	static void pushProvider(DynamicPropertyRegistry registry) {
		if (!provider.isRunning()) {
			provider.start();
		}
		registry.add("feed.im.push-url", () -> provider.baseUrl() + "/push");
	}

	@BeforeAll
	static void startNodeB() {
		if (!provider.isRunning()) {
			provider.start();
		}
		provider.stubFor(post(urlEqualTo("/push")).willReturn(aResponse().withStatus(202)));
		nodeB = new SpringApplicationBuilder(FeedApplication.class).run("--server.port=0",
				"--spring.main.banner-mode=off", "--feed.login.fixed-code=1000", "--feed.gateway.node-id=im-b",
				"--" + FRAMES, "--" + BURST, "--" + RATE, "--" + PRESENCE, "--" + RETRY, "--" + NO_TEXT,
				"--feed.im.push-url=" + provider.baseUrl() + "/push");
	}

	@AfterAll
	static void stop() {
		nodeB.close();
		provider.stop();
	}

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
		this.gatewayB = nodeB.getEnvironment().getRequiredProperty("local.gateway.port", Integer.class);
		this.tomcatB = nodeB.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	static String direct(TestUser a, TestUser b) {
		return "d:" + Math.min(a.id(), b.id()) + ":" + Math.max(a.id(), b.id());
	}

	@Test
	void messagesReachEveryDeviceOfTheRecipientOnTheOtherNodeInSeqOrder() {
		TestUser alice = Users.create(this.api, "alice");
		TestUser bob = Users.create(this.api, "bob");
		ImClient sender = ImClient.connect(this.gatewayA, alice.token(), "alice-phone");
		ImClient aliceLaptop = ImClient.connect(this.gatewayB, alice.token(), "alice-laptop");
		ImClient phone = ImClient.connect(this.gatewayB, bob.token(), "bob-phone");
		// Tomcat's /ws on node B
		ImClient laptop = ImClient.connect(this.tomcatB, bob.token(), "bob-laptop");
		awaitOnline(bob, 2);
		awaitOnline(alice, 2);
		for (int i = 1; i <= 30; i++) {
			sender.chat(bob.id(), i, "m" + i);
		}
		String conversation = direct(alice, bob);
		for (int i = 1; i <= 30; i++) {
			DocumentContext sent = sender.sent(i);
			assertThat(sent.<String>read("$.conversation")).isEqualTo(conversation);
			// one sender, one connection: seq follows client order
			assertThat(((Number) sent.read("$.seq")).longValue()).isEqualTo(i);
		}
		for (ImClient device : List.of(phone, laptop, aliceLaptop)) {
			device.awaitAccepted(conversation, 30, WAIT);
			ImClient.Accepted got = device.accepted(conversation);
			assertThat(got.seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
			assertThat(got.texts)
				.containsExactlyElementsOf(LongStream.rangeClosed(1, 30).mapToObj(i -> "m" + i).toList());
			assertThat(got.outOfOrder).isZero();
			assertThat(got.redelivered).isZero();
		}
		// The sender's other device got them too (above); the sending device has them
		// from `sent` alone.
		assertThat(sender.frames()).noneMatch(f -> f.contains("\"type\":\"chat\""));
		Reply history = this.api.get("/api/im/conversations/" + conversation + "/messages?after_seq=0&size=100",
				bob.token());
		assertThat(history.<List<Integer>>json("$.items[*].seq")).hasSize(30).isSorted();
		assertThat(history.strings("$.items[*].from")).containsOnly(Long.toString(alice.id()));
		List.of(sender, aliceLaptop, phone, laptop).forEach(ImClient::close);
	}

	@Test
	void aRepeatedClientSeqIsStoredOnceAndAnsweredIdenticallyOnEveryNode() {
		TestUser alice = Users.create(this.api, "alice");
		TestUser bob = Users.create(this.api, "bob");
		ImClient onA = ImClient.connect(this.gatewayA, alice.token(), "alice-phone");
		onA.chat(bob.id(), 7, "once");
		DocumentContext first = onA.sent(7);
		onA.chat(bob.id(), 7, "once"); // the same connection
		await().atMost(WAIT)
			.until(() -> onA.frames().stream().filter(f -> f.contains("\"type\":\"sent\"")).count() == 2);
		onA.close();
		// after a reconnect
		ImClient again = ImClient.connect(this.gatewayA, alice.token(), "alice-phone");
		again.chat(bob.id(), 7, "once");
		DocumentContext second = again.sent(7);
		// on the other node
		ImClient onB = ImClient.connect(this.tomcatB, alice.token(), "alice-phone");
		onB.chat(bob.id(), 7, "once");
		DocumentContext third = onB.sent(7);
		for (DocumentContext repeat : List.of(second, third)) {
			assertThat(repeat.<String>read("$.msg_id")).isEqualTo(first.read("$.msg_id"));
			assertThat(repeat.<Integer>read("$.seq")).isEqualTo(first.read("$.seq"));
		}
		String conversation = direct(alice, bob);
		assertThat(this.db.sql("SELECT COUNT(*) FROM im_messages WHERE conversation = ?")
			.param(conversation)
			.query(Long.class)
			.single()).isEqualTo(1);
		// Concurrent repeats on both nodes at once: still one row.
		List<CompletableFuture<Void>> racing = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			ImClient client = i % 2 == 0 ? again : onB;
			racing.add(CompletableFuture.runAsync(() -> client.chat(bob.id(), 8, "raced")));
		}
		racing.forEach(CompletableFuture::join);
		String msgA = again.sent(8).read("$.msg_id");
		String msgB = onB.sent(8).read("$.msg_id");
		assertThat(msgA).isEqualTo(msgB);
		assertThat(this.db.sql("SELECT COUNT(*) FROM im_messages WHERE conversation = ?")
			.param(conversation)
			.query(Long.class)
			.single()).isEqualTo(2);
		onB.chat(bob.id(), 9, "next");
		assertThat(onB.sent(9).<Integer>read("$.seq")).isEqualTo(3);
		List.of(again, onB).forEach(ImClient::close);
	}

	@Test
	void anOfflineDeviceCatchesUpInSeqOrderWhenItReconnects() {
		TestUser alice = Users.create(this.api, "alice");
		TestUser bob = Users.create(this.api, "bob");
		String conversation = direct(alice, bob);
		ImClient bobPhone = ImClient.connect(this.gatewayB, bob.token(), "bob-phone");
		ImClient sender = ImClient.connect(this.gatewayA, alice.token(), "alice-phone");
		awaitOnline(bob, 1);
		for (int i = 1; i <= 5; i++) {
			sender.chat(bob.id(), i, "live" + i);
		}
		bobPhone.awaitAccepted(conversation, 5, WAIT);
		// its acks are saved
		await().atMost(WAIT).until(() -> deviceCursor(bob, "bob-phone", conversation) == 5);
		bobPhone.close();
		awaitOnline(bob, 0);
		// more than a window and a sync page while it is away
		for (int i = 6; i <= 205; i++) {
			sender.chat(bob.id(), i, "away" + i);
		}
		sender.sent(205);
		ImClient back = bobPhone.reconnect(this.gatewayA); // on the other node
		back.awaitAccepted(conversation, 205, WAIT);
		ImClient.Accepted got = back.accepted(conversation);
		assertThat(got.seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 205).boxed().toList());
		assertThat(got.outOfOrder).isZero();
		assertThat(got.redelivered).isZero();
		List.of(back, sender).forEach(ImClient::close);
	}

	@Test
	void aSyncPagesFromWhereTheDeviceStandsAndMessagesSentMeanwhileArriveOnce() throws Exception {
		TestUser alice = Users.create(this.api, "alice");
		TestUser bob = Users.create(this.api, "bob");
		String conversation = direct(alice, bob);
		ImClient sender = ImClient.connect(this.gatewayA, alice.token(), "alice-phone");
		for (int i = 1; i <= 150; i++) {
			sender.chat(bob.id(), i, "old" + i);
		}
		sender.sent(150);
		// Bob read up to 100 elsewhere; a new device asks for what follows 100, 20 at a
		// time.
		assertThat(
				this.api.post("/api/im/conversations/" + conversation + "/read", bob.token(), "{\"seq\":100}").status())
			.isEqualTo(204);
		ImClient fresh = ImClient.connect(this.tomcatB, bob.token(), "bob-tablet");
		// Meanwhile Alice keeps writing: these race the sync pages.
		CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
			for (int i = 151; i <= 400; i++) {
				sender.chat(bob.id(), i, "new" + i);
			}
		});
		fresh.sync(conversation, 100, 20);
		DocumentContext synced = fresh.await(f -> "synced".equals(f.read("$.type")), WAIT);
		// The device already had 101.. pushed on connect (it stood at its read cursor,
		// 100): the page
		// goes on from there and never repeats them.
		assertThat(((Number) synced.read("$.up_to_seq")).longValue()).isGreaterThanOrEqualTo(120);
		writing.get();
		sender.sent(400);
		fresh.awaitAccepted(conversation, 400, WAIT);
		ImClient.Accepted got = fresh.accepted(conversation);
		assertThat(got.seqs.get(0)).isEqualTo(101L);
		assertThat(got.seqs).containsExactlyElementsOf(LongStream.rangeClosed(101, 400).boxed().toList());
		assertThat(got.redelivered).as("frames sent twice").isZero();
		assertThat(got.outOfOrder).isZero();
		// A sync at the end: nothing more, and it says so.
		fresh.sync(conversation, 400, null);
		DocumentContext end = fresh
			.await(f -> "synced".equals(f.read("$.type")) && ((Number) f.read("$.up_to_seq")).longValue() == 400, WAIT);
		assertThat(end.<Boolean>read("$.has_more")).isFalse();
		List.of(sender, fresh).forEach(ImClient::close);
	}

	@Test
	void everyDeviceOfAGroupOf500GetsEveryMessageOnce() {
		TestUser owner = Users.create(this.api, "owner");
		List<TestUser> members = new ArrayList<>();
		for (int i = 0; i < 499; i++) {
			members.add(Users.create(this.api, "m" + i));
		}
		StringBuilder ids = new StringBuilder();
		for (TestUser member : members) {
			ids.append(ids.isEmpty() ? "" : ",").append('"').append(member.id()).append('"');
		}
		TestUser extra = Users.create(this.api, "extra");
		assertThat(this.api
			.post("/api/im/groups", owner.token(),
					"{\"name\":\"too big\",\"members\":[" + ids + ",\"" + extra.id() + "\"]}")
			.status()).isEqualTo(400);
		Reply created = this.api.post("/api/im/groups", owner.token(),
				"{\"name\":\"five hundred\",\"members\":[" + ids + "]}");
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.strings("$.members")).hasSize(500);
		String group = created.string("$.id");
		String conversation = created.string("$.conversation");
		assertThat(this.api
			.post("/api/im/groups/" + group + "/members", owner.token(), "{\"user_id\":\"" + extra.id() + "\"}")
			.status()).isEqualTo(400);
		List<ImClient> devices = new ArrayList<>();
		devices.add(ImClient.connect(this.gatewayA, owner.token(), "owner"));
		for (int i = 0; i < members.size(); i++) {
			devices.add(ImClient.connect(i % 2 == 0 ? this.gatewayA : this.gatewayB, members.get(i).token(), "m"));
			if (i % 10 == 5) { // some members have a second device, on the other node
				devices.add(ImClient.connect(i % 2 == 0 ? this.gatewayB : this.gatewayA, members.get(i).token(), "m2"));
			}
		}
		awaitOnline(members.get(members.size() - 1), 1);
		List<ImClient> senders = List.of(devices.get(0), devices.get(1), devices.get(2));
		for (int i = 1; i <= 10; i++) {
			senders.get(i % 3).chatGroup(group, i, "g" + i);
		}
		for (int i = 1; i <= 10; i++) {
			senders.get(i % 3).sent(i);
		}
		// every device but the senders': all ten, in order, once
		for (int d = 3; d < devices.size(); d++) {
			ImClient device = devices.get(d);
			try {
				device.awaitAccepted(conversation, 10, WAIT);
			}
			catch (AssertionError missing) {
				throw new AssertionError("device " + d + ": " + missing.getMessage() + "; frames " + device.frames(),
						missing);
			}
			ImClient.Accepted got = device.accepted(conversation);
			assertThat(got.seqs).as("device " + d)
				.containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
			assertThat(got.redelivered + got.outOfOrder).as("device " + d).isZero();
		}
		// A sending device gets everyone else's messages in order; its own were answered
		// by `sent`
		// (seqs are given in the order the store took them, not in the order the test
		// sent them).
		for (int k = 0; k < senders.size(); k++) {
			ImClient sender = senders.get(k);
			Set<Long> own = new HashSet<>();
			for (int i = 1; i <= 10; i++) {
				if (i % 3 == k) {
					own.add(((Number) sender.sent(i).read("$.seq")).longValue());
				}
			}
			await().atMost(WAIT).until(() -> {
				Set<Long> all = new HashSet<>(sender.accepted(conversation).seqs);
				all.addAll(own);
				return all.size() == 10;
			});
			ImClient.Accepted got = sender.accepted(conversation);
			assertThat(got.seqs).as("sender " + k).isSorted().doesNotHaveDuplicates();
			assertThat(got.redelivered).as("sender " + k).isZero();
			Set<Long> all = new HashSet<>(got.seqs);
			all.addAll(own);
			assertThat(all).as("sender " + k)
				.containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
		}
		devices.forEach(ImClient::abort);
	}

	@Test
	void unreadAgreesOnEveryDevice() {
		TestUser alice = Users.create(this.api, "alice");
		TestUser bob = Users.create(this.api, "bob");
		String conversation = direct(alice, bob);
		ImClient phone = ImClient.connect(this.gatewayA, bob.token(), "phone");
		ImClient laptop = ImClient.connect(this.gatewayB, bob.token(), "laptop");
		ImClient sender = ImClient.connect(this.gatewayA, alice.token(), null);
		awaitOnline(bob, 2);
		for (int i = 1; i <= 5; i++) {
			sender.chat(bob.id(), i, "u" + i);
		}
		phone.awaitAccepted(conversation, 5, WAIT);
		Reply list = this.api.get("/api/im/conversations", bob.token());
		assertThat(list.string("$.items[0].conversation")).isEqualTo(conversation);
		assertThat(list.<Integer>json("$.items[0].unread")).isEqualTo(5);
		assertThat(list.string("$.items[0].last_message.text")).isEqualTo("u5");
		assertThat(list.string("$.items[0].peer.id")).isEqualTo(Long.toString(alice.id()));
		assertThat(this.api.get("/api/im/conversations", alice.token()).<Integer>json("$.items[0].unread"))
			.as("what I sent is read")
			.isZero();
		assertThat(
				this.api.post("/api/im/conversations/" + conversation + "/read", bob.token(), "{\"seq\":3}").status())
			.isEqualTo(204);
		for (ImClient device : List.of(phone, laptop)) {
			DocumentContext read = device.await(f -> "read".equals(f.read("$.type")), WAIT);
			assertThat(read.<Integer>read("$.read_seq")).isEqualTo(3);
			assertThat(read.<Integer>read("$.unread")).isEqualTo(2);
		}
		assertThat(
				this.api.post("/api/im/conversations/" + conversation + "/read", bob.token(), "{\"seq\":1}").status())
			.isEqualTo(204);
		assertThat(
				this.api.post("/api/im/conversations/" + conversation + "/read", bob.token(), "{\"seq\":99}").status())
			.isEqualTo(204);
		assertThat(this.api.get("/api/im/conversations", bob.token()).<Integer>json("$.items[0].read_seq"))
			.as("capped at the last message")
			.isEqualTo(5);
		assertThat(this.api.get("/api/im/conversations", bob.token()).<Integer>json("$.items[0].unread")).isZero();
		assertThat(
				this.api.post("/api/im/conversations/" + conversation + "/read", bob.token(), "{\"seq\":-1}").status())
			.isEqualTo(400);
		TestUser carol = Users.create(this.api, "carol");
		assertThat(
				this.api.post("/api/im/conversations/" + conversation + "/read", carol.token(), "{\"seq\":1}").status())
			.isEqualTo(403);
		assertThat(this.api.get("/api/im/conversations/" + conversation + "/messages", carol.token()).status())
			.isEqualTo(403);
		assertThat(this.api.get("/api/im/conversations/x:1/messages", carol.token()).status()).isEqualTo(400);
		// History both ways.
		Reply newest = this.api.get("/api/im/conversations/" + conversation + "/messages?size=2", bob.token());
		assertThat(newest.<List<Integer>>json("$.items[*].seq")).containsExactly(4, 5);
		assertThat(newest.<Boolean>json("$.has_more")).isTrue();
		Reply older = this.api.get("/api/im/conversations/" + conversation + "/messages?before_seq=4&size=10",
				bob.token());
		assertThat(older.<List<Integer>>json("$.items[*].seq")).containsExactly(1, 2, 3);
		assertThat(older.<Boolean>json("$.has_more")).isFalse();
		List.of(phone, laptop, sender).forEach(ImClient::close);
	}

	@Test
	void seqsContinueAndEveryMessageArrivesAfterRedisLosesImsKeys() {
		TestUser alice = Users.create(this.api, "alice");
		TestUser bob = Users.create(this.api, "bob");
		String conversation = direct(alice, bob);
		ImClient sender = ImClient.connect(this.gatewayA, alice.token(), "alice");
		ImClient receiver = ImClient.connect(this.gatewayB, bob.token(), "bob");
		awaitOnline(bob, 1);
		for (int i = 1; i <= 20; i++) {
			sender.chat(bob.id(), i, "before" + i);
		}
		receiver.awaitAccepted(conversation, 20, WAIT);
		// Everything IM keeps in Redis goes (routing table, rate limiters, node
		// sentinels, bridge liveness):
		// what a FLUSHALL would do to IM. (A real FLUSHALL would also take the id
		// workers' leases,
		// which other tests of this JVM depend on.)
		deleteKeys("im:*");
		deleteKeys("bridge:*");
		for (int i = 21; i <= 40; i++) {
			sender.chat(bob.id(), i, "after" + i);
		}
		for (int i = 21; i <= 40; i++) {
			assertThat(sender.sent(i).<Integer>read("$.seq")).isEqualTo(i);
		}
		receiver.awaitAccepted(conversation, 40, WAIT);
		ImClient.Accepted got = receiver.accepted(conversation);
		assertThat(got.seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 40).boxed().toList());
		assertThat(got.outOfOrder).isZero();
		assertThat(new HashSet<>(got.msgIds)).hasSize(40);
		List.of(sender, receiver).forEach(ImClient::close);
	}

	/**
	 * Issue 14: one user holds at most feed.gateway.max-connections-per-user (20)
	 * connections over both nodes; one more is refused.
	 */
	@Test
	void aUserOverTheConnectionLimitAcrossNodesIsRefusedWithAnErrorFrameAndAFreedSlotIsReused() {
		TestUser alice = Users.create(this.api, "alice");
		List<ImClient> open = new ArrayList<>();
		try {
			// Half on each node: the limit is the user's, not a node's.
			for (int i = 0; i < 20; i++) {
				open.add(ImClient.connect(i % 2 == 0 ? this.gatewayA : this.tomcatB, alice.token(), "tab-" + i));
			}
			for (ImClient client : open) {
				client.send("{\"type\":\"ping\"}");
			}
			await().atMost(WAIT).until(() -> open.stream().allMatch(c -> !c.frames().isEmpty()));
			// A pong doesn't wait for the connection's permit (taken asynchronously), so
			// wait until all 20 are held, or the extra one may take a permit first. The
			// key must exist: a semaphore not yet set up also reads 0 available.
			RPermitExpirableSemaphore permits = this.redisson
				.getPermitExpirableSemaphore(RedisKeys.connectionPermits(alice.id()));
			await().atMost(WAIT).until(() -> permits.isExists() && permits.availablePermits() == 0);
			ImClient extra = ImClient.connect(this.gatewayB, alice.token(), "one-too-many");
			assertThat(extra.await(f -> "error".equals(f.read("$.type")), WAIT).<Integer>read("$.status"))
				.isEqualTo(429);
			await().atMost(WAIT).until(extra::isClosed);
			assertThat(open).noneMatch(ImClient::isClosed);
			open.remove(0).close();
			await().atMost(WAIT).untilAsserted(() -> {
				ImClient again = ImClient.connect(this.gatewayB, alice.token(), "freed");
				open.add(again);
				again.send("{\"type\":\"ping\"}");
				again.await(f -> "pong".equals(f.read("$.type")), Duration.ofSeconds(2));
				assertThat(again.isClosed()).isFalse();
			});
		}
		finally {
			open.forEach(ImClient::close);
		}
	}

	@Test
	void badFramesGetTheirErrorStatusAndTheConnectionStaysOpen() {
		TestUser alice = Users.create(this.api, "alice");
		TestUser bob = Users.create(this.api, "bob");
		TestUser owner = Users.create(this.api, "owner");
		String group = this.api
			.post("/api/im/groups", owner.token(), "{\"name\":\"closed\",\"members\":[\"" + bob.id() + "\"]}")
			.string("$.id");
		for (int port : new int[] { this.gatewayA, this.tomcatB }) {
			ImClient client = ImClient.connect(port, alice.token(), null);
			client.chatGroup(group, 1, "let me in");
			assertThat(client.error(1L).<Integer>read("$.status")).isEqualTo(403);
			client.chat(999_999_999L, 2, "nobody");
			assertThat(client.error(2L).<Integer>read("$.status")).isEqualTo(404);
			client.chatGroup("999999999", 3, "no group");
			assertThat(client.error(3L).<Integer>read("$.status")).isEqualTo(404);
			client.chat(bob.id(), 4, "x".repeat(10_001));
			assertThat(client.error(4L).<Integer>read("$.status")).isEqualTo(413);
			client.chat(bob.id(), 5, "");
			assertThat(client.error(5L).<Integer>read("$.status")).isEqualTo(400);
			client.chat(bob.id(), 6, "   ");
			assertThat(client.error(6L).<Integer>read("$.status")).isEqualTo(400);
			client.chat(alice.id(), 7, "myself");
			assertThat(client.error(7L).<Integer>read("$.status")).isEqualTo(400);
			client.send("{\"type\":\"chat\",\"to\":\"" + bob.id() + "\",\"group\":\"" + group
					+ "\",\"client_seq\":8,\"text\":\"both\"}");
			assertThat(client.error(8L).<Integer>read("$.status")).isEqualTo(400);
			// 10,000 characters outside the BMP (20,000 UTF-16 units, 40,000 bytes) are a
			// valid chat.
			client.chat(bob.id(), 9, "\uD83D\uDE00".repeat(10_000));
			assertThat(client.sent(9).<Integer>read("$.seq")).isPositive();
			int before = client.frames().size();
			for (String bad : List.of("{\"type\":\"chat\",\"to\":\"" + bob.id() + "\",\"text\":\"no seq\"}",
					"{\"type\":\"chat\",\"to\":\"" + bob.id() + "\",\"client_seq\":-1,\"text\":\"negative\"}",
					"{\"type\":\"sync\",\"conversation\":\"nonsense\",\"after_seq\":0}",
					"{\"type\":\"sync\",\"conversation\":\"" + direct(alice, bob) + "\"}",
					"{\"type\":\"sync\",\"conversation\":\"" + direct(alice, bob) + "\",\"after_seq\":0,\"size\":0}",
					"{\"type\":\"ack\",\"conversation\":\"d:x\",\"seq\":1}", "{\"type\":\"ack\"}")) {
				client.send(bad);
			}
			await().atMost(WAIT).until(() -> client.frames().size() >= before + 7);
			assertThat(client.frames().subList(before, before + 7))
				.allMatch(f -> f.contains("\"type\":\"error\"") && f.contains("\"status\":400"));
			client.sync("d:1:2", 0, null); // someone else's conversation
			assertThat(
					client.await(f -> "error".equals(f.read("$.type")) && ((Integer) f.read("$.status")) == 403, WAIT))
				.isNotNull();
			client.sync("g:" + group, 0, null);
			assertThat(client.await(f -> "error".equals(f.read("$.type")) && ((Integer) f.read("$.status")) == 403
					&& f.<String>read("$.detail").contains("member"), WAIT))
				.isNotNull();
			client.send("{\"type\":\"ping\"}");
			assertThat(client.await(f -> "pong".equals(f.read("$.type")), WAIT)).isNotNull();
			assertThat(client.isClosed()).isFalse();
			client.close();
		}
	}

	@Test
	void aUserSendingTooFastGets429() {
		TestUser alice = Users.create(this.api, "alice");
		TestUser bob = Users.create(this.api, "bob");
		// This user's bucket: 3 a second (Redisson keeps a limiter's first
		// configuration).
		RRateLimiter limiter = this.redisson.getRateLimiter(RedisKeys.imSendRate(alice.id()));
		limiter.trySetRate(RateType.OVERALL, 3, Duration.ofSeconds(1), Duration.ofMinutes(1));
		ImClient onA = ImClient.connect(this.gatewayA, alice.token(), "a");
		ImClient onB = ImClient.connect(this.gatewayB, alice.token(), "b");
		for (int i = 1; i <= 10; i++) {
			(i % 2 == 0 ? onA : onB).chat(bob.id(), i, "fast" + i);
		}
		await().atMost(WAIT).until(() -> answers(onA) + answers(onB) == 10);
		long limited = tooMany(onA) + tooMany(onB);
		assertThat(limited).as("over 3 a second across both nodes").isGreaterThanOrEqualTo(5);
		List.of(onA, onB).forEach(ImClient::close);
	}

	@Test
	void offlineRecipientsGetOnePushPerConversationWithoutText() throws Exception {
		TestUser alice = Users.create(this.api, "alice");
		TestUser offline = Users.create(this.api, "offline");
		ImClient sender = ImClient.connect(this.gatewayA, alice.token(), null);
		for (int i = 1; i <= 5; i++) {
			sender.chat(offline.id(), i, "secret" + i);
		}
		sender.sent(5);
		String user = "\"user\":\"" + offline.id() + "\"";
		await().atMost(WAIT).until(() -> pushesFor(user) >= 1);
		Thread.sleep(1_500); // three more flushes of the push queue: still one push
		assertThat(provider.findAll(postRequestedFor(urlEqualTo("/push")))
			.stream()
			.map(r -> r.getBodyAsString())
			.filter(b -> b.contains(user))
			.toList())
			.singleElement()
			.satisfies(body -> assertThat(body).contains(direct(alice, offline))
				.doesNotContain("secret")
				.doesNotContain("\"text\""));
		sender.close();
	}

	@Test
	void contactsSeePresenceAndTheApiAgrees() throws Exception {
		TestUser alice = Users.create(this.api, "alice");
		TestUser bob = Users.create(this.api, "bob");
		ImClient bobDevice = ImClient.connect(this.gatewayB, bob.token(), "bob");
		ImClient first = ImClient.connect(this.gatewayA, alice.token(), "alice");
		first.chat(bob.id(), 1, "hi"); // now they are contacts
		first.sent(1);
		// online for longer than the presence interval: contacts were told
		Thread.sleep(1_000);
		first.close();
		awaitOnline(alice, 0);
		String aliceId = Long.toString(alice.id());
		bobDevice.await(f -> "presence".equals(f.read("$.type")) && aliceId.equals(f.read("$.user"))
				&& Boolean.FALSE.equals(f.read("$.online")), WAIT);
		int before = presenceFrames(bobDevice, aliceId);
		// A reconnect storm ending online: the contact hears of it once or twice, not ten
		// times.
		ImClient last = null;
		for (int i = 0; i < 10; i++) {
			ImClient c = ImClient.connect(i % 2 == 0 ? this.gatewayA : this.tomcatB, alice.token(), "alice");
			if (i < 9) {
				c.abort();
			}
			else {
				last = c;
			}
		}
		bobDevice.await(f -> "presence".equals(f.read("$.type")) && aliceId.equals(f.read("$.user"))
				&& Boolean.TRUE.equals(f.read("$.online")), WAIT);
		Thread.sleep(1_500);
		assertThat(presenceFrames(bobDevice, aliceId) - before).isBetween(1, 3);
		Reply presence = this.api.get("/api/im/presence?ids=" + alice.id() + "," + bob.id(), bob.token());
		assertThat(presence.<Boolean>json("$['" + alice.id() + "'].online")).isTrue();
		assertThat(presence.<Long>json("$['" + alice.id() + "'].last_active")).isNotNull();
		String tooMany = String.join(",", LongStream.rangeClosed(1, 101).mapToObj(Long::toString).toList());
		assertThat(this.api.get("/api/im/presence?ids=" + tooMany, bob.token()).status()).isEqualTo(400);
		last.close();
		bobDevice.close();
	}

	@Test
	void unacknowledgedMessagesAreSentAgainUntilAcked() throws Exception {
		TestUser alice = Users.create(this.api, "alice");
		TestUser bob = Users.create(this.api, "bob");
		String conversation = direct(alice, bob);
		ImClient silent = ImClient.connect(this.gatewayB, bob.token(), "silent", false);
		awaitOnline(bob, 1);
		ImClient sender = ImClient.connect(this.gatewayA, alice.token(), null);
		sender.chat(bob.id(), 1, "ack me");
		sender.sent(1);
		silent.awaitAccepted(conversation, 1, WAIT);
		// after retry-initial (4 s)
		await().atMost(WAIT).until(() -> silent.accepted(conversation).redelivered >= 1);
		silent.send("{\"type\":\"ack\",\"msg_id\":\"" + silent.accepted(conversation).msgIds.get(0) + "\"}");
		sender.chat(bob.id(), 2, "second");
		silent.awaitAccepted(conversation, 2, WAIT);
		silent.send("{\"type\":\"ack\",\"conversation\":\"" + conversation + "\",\"seq\":2}");
		int repeatsBefore = silent.accepted(conversation).redelivered;
		// longer than retry-initial: once acknowledged, nothing comes again
		Thread.sleep(5_000);
		assertThat(silent.accepted(conversation).redelivered).isEqualTo(repeatsBefore);
		List.of(silent, sender).forEach(ImClient::close);
	}

	@Test
	void groupsAreForTheirMembers() {
		TestUser owner = Users.create(this.api, "owner");
		TestUser member = Users.create(this.api, "member");
		TestUser other = Users.create(this.api, "other");
		assertThat(this.api.post("/api/im/groups", owner.token(), "{\"members\":[]}").status()).isEqualTo(400);
		assertThat(
				this.api.post("/api/im/groups", owner.token(), "{\"name\":\"g\",\"members\":[\"999999999\"]}").status())
			.isEqualTo(404);
		assertThat(this.api.post("/api/im/groups", owner.token(), "{\"name\":\"g\",\"members\":[\"x\"]}").status())
			.isEqualTo(400);
		Reply created = this.api.post("/api/im/groups", owner.token(),
				"{\"name\":\"team\",\"members\":[\"" + member.id() + "\"]}");
		String group = created.string("$.id");
		assertThat(created.string("$.owner_id")).isEqualTo(Long.toString(owner.id()));
		assertThat(this.api.get("/api/im/groups/" + group, member.token()).strings("$.members")).hasSize(2);
		assertThat(this.api.get("/api/im/groups/" + group, other.token()).status()).isEqualTo(403);
		assertThat(this.api.get("/api/im/groups/999999999", other.token()).status()).isEqualTo(404);
		assertThat(this.api
			.post("/api/im/groups/" + group + "/members", member.token(), "{\"user_id\":\"" + other.id() + "\"}")
			.status()).isEqualTo(403);
		assertThat(this.api
			.post("/api/im/groups/" + group + "/members", owner.token(), "{\"user_id\":\"" + other.id() + "\"}")
			.status()).isEqualTo(204);
		assertThat(this.api.get("/api/im/conversations", other.token()).string("$.items[0].group.name"))
			.isEqualTo("team");
		assertThat(this.api.delete("/api/im/groups/" + group + "/members/" + owner.id(), owner.token()).status())
			.isEqualTo(409);
		assertThat(this.api.delete("/api/im/groups/" + group + "/members/" + member.id(), other.token()).status())
			.isEqualTo(403);
		assertThat(this.api.delete("/api/im/groups/" + group + "/members/" + member.id(), member.token()).status())
			.isEqualTo(204);
		ImClient left = ImClient.connect(this.gatewayA, member.token(), null);
		left.chatGroup(group, 1, "still here?");
		assertThat(left.error(1L).<Integer>read("$.status")).isEqualTo(403);
		assertThat(this.api.get("/api/im/conversations/g:" + group + "/messages", member.token()).status())
			.isEqualTo(403);
		left.close();
	}

	private long answers(ImClient client) {
		return client.frames()
			.stream()
			.filter(f -> f.contains("\"type\":\"sent\"") || f.contains("\"type\":\"error\""))
			.count();
	}

	private long tooMany(ImClient client) {
		return client.frames().stream().filter(f -> f.contains("\"status\":429")).count();
	}

	private static int presenceFrames(ImClient client, String user) {
		return (int) client.frames()
			.stream()
			.filter(f -> f.contains("\"type\":\"presence\"") && f.contains("\"user\":\"" + user + "\""))
			.count();
	}

	private static long pushesFor(String user) {
		return provider.findAll(postRequestedFor(urlEqualTo("/push")))
			.stream()
			.filter(r -> r.getBodyAsString().contains(user))
			.count();
	}

	private void awaitOnline(TestUser user, int devices) {
		await().atMost(WAIT).until(() -> {
			Reply presence = this.api.get("/api/im/presence?ids=" + user.id(), user.token());
			boolean online = presence.<Boolean>json("$['" + user.id() + "'].online");
			long count = this.redis.opsForHash()
				.keys(RedisKeys.imDevices(user.id()))
				.stream()
				.filter(k -> !k.toString().startsWith("~"))
				.count();
			return devices == 0 ? !online : online && count >= devices;
		});
	}

	private long deviceCursor(TestUser user, String device, String conversation) {
		return this.db.sql(
				"SELECT COALESCE(MAX(acked_seq), 0) FROM im_device_cursors WHERE user_id = ? AND device = ? AND conversation = ?")
			.params(user.id(), device, conversation)
			.query(Long.class)
			.single();
	}

	private void deleteKeys(String pattern) {
		Set<String> keys = new HashSet<>();
		try (Cursor<String> cursor = this.redis.scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
			cursor.forEachRemaining(keys::add);
		}
		if (!keys.isEmpty()) {
			this.redis.delete(keys);
		}
	}

}
