package dev.feedplatform.app;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.jayway.jsonpath.JsonPath;
import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.ImClient;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Rooms;
import dev.feedplatform.testsupport.Users;
import dev.feedplatform.testsupport.Users.TestUser;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live-room economy (issue 17) on two app nodes ("eco-a", this context, and "eco-b")
 * sharing the real MariaDB, Redis and RocketMQ, with WireMock as the payment provider:
 * money is checked against the ledger (every transaction's legs sum to zero, a wallet
 * equals the sum of its legs), never against what the code meant to do.
 */
@SpringBootTest(classes = FeedApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "feed.login.fixed-code=1000", "feed.gateway.node-id=eco-a", EconomyIntegrationTests.GIFT_RATE,
				EconomyIntegrationTests.EXPIRY, EconomyIntegrationTests.PK_DURATION, EconomyIntegrationTests.SWEEP,
				"feed.moderators=" + EconomyIntegrationTests.MODERATOR, EconomyIntegrationTests.PAY_WITHIN,
				"feed.economy.payment.provider=http", "feed.economy.payment.secret=" + EconomyIntegrationTests.SECRET,
				EconomyIntegrationTests.NOTIFY })
@DirtiesContext
class EconomyIntegrationTests {

	static final String SECRET = "test-payment-secret-0123456789";

	static final String MODERATOR = "+8613900000017";

	static final String PAY_WITHIN = "feed.economy.order-pay-within=6s";

	static final String GIFT_RATE = "feed.economy.gift-rate=100000";

	/**
	 * The tests send the provider's notices themselves; the URL only has to be
	 * configured.
	 */
	static final String NOTIFY = "feed.economy.payment.notify-url=http://127.0.0.1/api/payments/callback";

	static final String EXPIRY = "feed.economy.recharge-expire-after=3s";

	/**
	 * PKs accepted on this node run long enough for a thousand gifts on a busy machine;
	 * on node B they end soon.
	 */
	static final String PK_DURATION = "feed.economy.pk-duration=120s";

	static final String PK_DURATION_B = "feed.economy.pk-duration=8s";

	static final String SWEEP = "feed.economy.sweep-after=3s";

	static final Duration WAIT = Duration.ofSeconds(30);

	static final WireMockServer provider = new WireMockServer(WireMockConfiguration.options().dynamicPort());

	static ConfigurableApplicationContext nodeB;

	@Value("${local.server.port}")
	int port;

	@Value("${local.gateway.port}")
	int gatewayA;

	@Autowired
	JdbcClient db;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	dev.feedplatform.runtime.messaging.RocketMq rocketMq;

	Api api;

	Api apiB;

	int gatewayB;

	@DynamicPropertySource
	static void paymentProvider(DynamicPropertyRegistry registry) {
		if (!provider.isRunning()) {
			provider.start();
		}
		registry.add("feed.economy.payment.url", provider::baseUrl);
	}

	@BeforeAll
	static void startNodeB() {
		if (!provider.isRunning()) {
			provider.start();
		}
		provider.stubFor(post(urlEqualTo("/charges")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"charge_id\":\"ch-1\",\"status\":\"PENDING\"}")));
		nodeB = new SpringApplicationBuilder(FeedApplication.class).run("--server.port=0", "--feed.gateway.port=0",
				"--spring.main.banner-mode=off", "--feed.login.fixed-code=1000", "--feed.gateway.node-id=eco-b",
				"--" + GIFT_RATE, "--" + EXPIRY, "--" + PK_DURATION_B, "--" + SWEEP,
				"--feed.economy.payment.provider=http", "--feed.economy.payment.secret=" + SECRET,
				"--feed.economy.payment.url=" + provider.baseUrl(), "--" + NOTIFY, "--feed.moderators=" + MODERATOR,
				"--" + PAY_WITHIN);
	}

	@AfterAll
	static void stop() {
		nodeB.close();
		provider.stop();
	}

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
		this.apiB = new Api(nodeB.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
		this.gatewayB = nodeB.getEnvironment().getRequiredProperty("local.gateway.port", Integer.class);
	}

	// --- recharge
	// -------------------------------------------------------------------------------

	@Test
	void aRechargeIsCreditedOnceHoweverOftenAndWhereverItsNoticeComes() throws Exception {
		TestUser buyer = Users.create(this.api, "buyer");
		Reply created = this.api.post("/api/wallet/recharges", buyer.token(),
				"{\"amount\":500,\"idempotency_key\":\"r-1\"}");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.string("$.status")).isEqualTo("PENDING");
		String order = created.string("$.id");
		assertThat(this.api.post("/api/wallet/recharges", buyer.token(), "{\"amount\":500,\"idempotency_key\":\"r-1\"}")
			.string("$.id")).as("the same key answers the same order").isEqualTo(order);
		assertThat(this.api.post("/api/wallet/recharges", buyer.token(), "{\"amount\":501,\"idempotency_key\":\"r-1\"}")
			.status()).isEqualTo(409);

		String notice = "{\"merchant_order_id\":\"" + order
				+ "\",\"charge_id\":\"ch-1\",\"amount\":500,\"status\":\"PAID\"}";
		// Eight copies of the notice at once, half on each node.
		List<CompletableFuture<Reply>> copies = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			Api node = i % 2 == 0 ? this.api : this.apiB;
			copies.add(CompletableFuture.supplyAsync(() -> callback(node, notice, sign(notice))));
		}
		copies.forEach(copy -> assertThat(copy.join().status()).isEqualTo(204));
		assertThat(wallet(buyer)).isEqualTo(500);
		assertThat(this.api.get("/api/wallet/recharges/" + order, buyer.token()).string("$.status")).isEqualTo("PAID");
		assertThat(this.db.sql("SELECT COUNT(*) FROM ledger_entries WHERE txn_id = ?")
			.param(Long.parseLong(order))
			.query(Long.class)
			.single()).as("one pair of legs").isEqualTo(2);
		assertThat(callback(this.api, notice, sign(notice)).status()).as("a late repeat").isEqualTo(204);
		assertThat(wallet(buyer)).isEqualTo(500);
		assertLedgerBalances();
	}

	@Test
	void aForgedOrWrongNoticeMovesNothing() {
		TestUser buyer = Users.create(this.api, "buyer");
		String order = this.api
			.post("/api/wallet/recharges", buyer.token(), "{\"amount\":300,\"idempotency_key\":\"r-2\"}")
			.string("$.id");
		String notice = "{\"merchant_order_id\":\"" + order
				+ "\",\"charge_id\":\"ch-2\",\"amount\":300,\"status\":\"PAID\"}";
		// Only the amount field changes: the order id may contain "300" too.
		Reply forged = callback(this.api, notice, sign(notice.replace("\"amount\":300", "\"amount\":301")));
		assertThat(forged.status()).isEqualTo(401);
		assertThat(forged.isProblem()).isTrue();
		assertThat(callback(this.api, notice, null).status()).isEqualTo(401);
		String wrongAmount = notice.replace("\"amount\":300", "\"amount\":30000");
		assertThat(callback(this.api, wrongAmount, sign(wrongAmount)).status()).as("signed, but not the order's amount")
			.isEqualTo(409);
		String unknown = notice.replace(order, "123456789");
		assertThat(callback(this.api, unknown, sign(unknown)).status()).isEqualTo(404);
		assertThat(wallet(buyer)).isZero();
		assertThat(this.api.post("/api/wallet/recharges", buyer.token(), "{\"amount\":0,\"idempotency_key\":\"r-3\"}")
			.status()).isEqualTo(400);
		assertThat(
				this.api.post("/api/wallet/recharges", buyer.token(), "{\"amount\":10.5,\"idempotency_key\":\"r-3\"}")
					.status())
			.isEqualTo(400);
		assertThat(this.api
			.post("/api/wallet/recharges", buyer.token(), "{\"amount\":1000001,\"idempotency_key\":\"r-3\"}")
			.status()).isEqualTo(400);
		assertThat(this.api.post("/api/wallet/recharges", buyer.token(), "{\"amount\":10}").status()).isEqualTo(400);
	}

	@Test
	void aNoticeThatOvertakesTheCreateCallIsCreditedOnce() {
		TestUser buyer = Users.create(this.api, "buyer");
		// The provider notifies while it still holds the charge request (the notice
		// overtakes the answer).
		provider.stubFor(post(urlEqualTo("/charges")).atPriority(1)
			.withRequestBody(
					com.github.tomakehurst.wiremock.client.WireMock.containing("\"user_id\":\"" + buyer.id() + "\""))
			.willReturn(aResponse().withStatus(200).withFixedDelay(1500).withBody("{\"charge_id\":\"ch-early\"}")));
		CompletableFuture<Reply> create = CompletableFuture.supplyAsync(() -> this.api.post("/api/wallet/recharges",
				buyer.token(), "{\"amount\":77,\"idempotency_key\":\"early\"}"));
		long order = await().atMost(WAIT)
			.until(() -> this.db.sql("SELECT id FROM recharge_orders WHERE user_id = ?")
				.param(buyer.id())
				.query(Long.class)
				.optional(), java.util.Optional::isPresent)
			.orElseThrow();
		String notice = "{\"merchant_order_id\":\"" + order
				+ "\",\"charge_id\":\"ch-early\",\"amount\":77,\"status\":\"PAID\"}";
		assertThat(callback(this.apiB, notice, sign(notice)).status()).isEqualTo(204);
		assertThat(create.isDone()).as("the notice came before the create call answered").isFalse();
		Reply answered = create.join();
		assertThat(answered.status()).isEqualTo(201);
		assertThat(answered.string("$.status")).isEqualTo("PAID");
		assertThat(wallet(buyer)).isEqualTo(77);
	}

	@Test
	void anUnpaidOrderExpiresByItsDelayedMessageAndALatePaymentIsStillCreditedOnce() {
		TestUser buyer = Users.create(this.api, "buyer");
		String order = this.api
			.post("/api/wallet/recharges", buyer.token(), "{\"amount\":40,\"idempotency_key\":\"late\"}")
			.string("$.id");
		await().atMost(WAIT)
			.until(() -> this.api.get("/api/wallet/recharges/" + order, buyer.token()).string("$.status"),
					"EXPIRED"::equals);
		assertThat(wallet(buyer)).isZero();
		String notice = "{\"merchant_order_id\":\"" + order
				+ "\",\"charge_id\":\"ch-late\",\"amount\":40,\"status\":\"PAID\"}";
		assertThat(callback(this.api, notice, sign(notice)).status()).isEqualTo(204);
		assertThat(callback(this.apiB, notice, sign(notice)).status()).isEqualTo(204);
		assertThat(this.api.get("/api/wallet/recharges/" + order, buyer.token()).string("$.status")).isEqualTo("PAID");
		assertThat(wallet(buyer)).isEqualTo(40);
		TestUser other = Users.create(this.api, "other");
		assertThat(this.api.get("/api/wallet/recharges/" + order, other.token()).status())
			.as("only its owner sees an order")
			.isEqualTo(404);
	}

	// --- gifts
	// ----------------------------------------------------------------------------------

	@Test
	void concurrentGiftsBeyondTheBalanceNeverOverdrawIt() {
		TestUser anchor = Users.create(this.api, "anchor");
		String room = openRoom(anchor);
		TestUser fan = funded("fan", 1_000);
		// 60 × 50 coins = 3,000 asked, 1,000 held: exactly 20 can be paid
		int attempts = 60;
		ExecutorService pool = Executors.newFixedThreadPool(30);
		List<CompletableFuture<Reply>> sends = new ArrayList<>();
		for (int i = 0; i < attempts; i++) {
			Api node = i % 2 == 0 ? this.api : this.apiB;
			String body = "{\"gift_id\":2,\"count\":5,\"idempotency_key\":\"g-" + i + "\"}";
			sends.add(CompletableFuture.supplyAsync(() -> node.post("/api/rooms/" + room + "/gifts", fan.token(), body),
					pool));
		}
		Map<Integer, Integer> statuses = new HashMap<>();
		sends.forEach(send -> statuses.merge(send.join().status(), 1, Integer::sum));
		pool.shutdown();
		assertThat(statuses).isEqualTo(Map.of(201, 20, 409, 40));
		assertThat(wallet(fan)).isZero();
		await().atMost(WAIT).until(() -> earnings(anchor), e -> e == 1_000);
		assertLedgerBalances();
	}

	@Test
	void oneIdempotencyKeyDebitsOnceOnEitherNodeHoweverTheRetriesRace() {
		TestUser anchor = Users.create(this.api, "anchor");
		String room = openRoom(anchor);
		TestUser fan = funded("fan", 1_000);
		String body = "{\"gift_id\":3,\"count\":1,\"idempotency_key\":\"once\"}";
		List<CompletableFuture<Reply>> retries = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			Api node = i % 2 == 0 ? this.api : this.apiB;
			retries.add(
					CompletableFuture.supplyAsync(() -> node.post("/api/rooms/" + room + "/gifts", fan.token(), body)));
		}
		Set<String> answers = new HashSet<>();
		for (CompletableFuture<Reply> retry : retries) {
			Reply reply = retry.join();
			assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
			answers.add(reply.string("$.id") + "/" + reply.number("$.balance"));
		}
		assertThat(answers).hasSize(1).allMatch(a -> a.endsWith("/900"));
		assertThat(wallet(fan)).isEqualTo(900);
		assertThat(this.api
			.post("/api/rooms/" + room + "/gifts", fan.token(),
					"{\"gift_id\":3,\"count\":2,\"idempotency_key\":\"once\"}")
			.status()).as("the key with another body").isEqualTo(409);
		await().atMost(WAIT).until(() -> earnings(anchor), e -> e == 100);
		assertLedgerBalances();
	}

	@Test
	void badGiftsGetClearProblemsAndMoveNothing() {
		TestUser anchor = Users.create(this.api, "anchor");
		String room = openRoom(anchor);
		TestUser fan = funded("fan", 100);
		String gifts = "/api/rooms/" + room + "/gifts";
		assertThat(this.api.get("/api/gifts", fan.token()).<List<?>>json("$.items")).isNotEmpty();
		assertThat(this.api.post(gifts, fan.token(), "{\"gift_id\":2,\"count\":0,\"idempotency_key\":\"b1\"}").status())
			.isEqualTo(400);
		assertThat(this.api.post(gifts, fan.token(), "{\"gift_id\":2,\"count\":10000,\"idempotency_key\":\"b1\"}")
			.status()).isEqualTo(400);
		assertThat(
				this.api.post(gifts, fan.token(), "{\"gift_id\":999,\"count\":1,\"idempotency_key\":\"b1\"}").status())
			.isEqualTo(400);
		assertThat(this.api.post(gifts, fan.token(), "{\"gift_id\":2,\"count\":1}").status()).isEqualTo(400);
		assertThat(this.api.post(gifts, fan.token(), "{\"gift_id\":\"x\",\"count\":1,\"idempotency_key\":\"b1\"}")
			.status()).isEqualTo(400);
		assertThat(this.api
			.post(gifts, fan.token(),
					"{\"gift_id\":2,\"count\":1,\"to\":\"" + fan.id() + "\",\"idempotency_key\":\"b1\"}")
			.status()).as("to someone not anchoring the room").isEqualTo(400);
		assertThat(
				this.api.post(gifts, anchor.token(), "{\"gift_id\":2,\"count\":1,\"idempotency_key\":\"b1\"}").status())
			.as("to oneself")
			.isIn(400, 409);
		assertThat(this.api
			.post("/api/rooms/123456789/gifts", fan.token(), "{\"gift_id\":2,\"count\":1,\"idempotency_key\":\"b1\"}")
			.status()).isEqualTo(404);
		Reply tooDear = this.api.post(gifts, fan.token(), "{\"gift_id\":4,\"count\":1,\"idempotency_key\":\"b2\"}");
		assertThat(tooDear.status()).isEqualTo(409);
		assertThat(tooDear.isProblem()).isTrue();
		assertThat(this.api.post("/api/rooms/" + room + "/close", anchor.token(), "").status()).isEqualTo(204);
		assertThat(this.api.post(gifts, fan.token(), "{\"gift_id\":2,\"count\":1,\"idempotency_key\":\"b3\"}").status())
			.as("a closed room")
			.isEqualTo(404);
		assertThat(wallet(fan)).isEqualTo(100);
	}

	@Test
	void everyViewerOnEitherNodeSeesEveryGiftOnceAndTheLeaderboardSurvivesRedisLosingIt() {
		TestUser anchor = Users.create(this.api, "anchor");
		String room = openRoom(anchor);
		ImClient viewerA = viewer(this.gatewayA, room);
		ImClient viewerB = viewer(this.gatewayB, room);
		TestUser big = funded("big", 10_000);
		TestUser small = funded("small", 10_000);
		Set<String> sent = ConcurrentHashMap.newKeySet();
		List<CompletableFuture<Void>> sends = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			int n = i;
			sends.add(CompletableFuture.runAsync(() -> {
				TestUser who = n % 4 == 0 ? small : big;
				Reply reply = (n % 2 == 0 ? this.api : this.apiB).post("/api/rooms/" + room + "/gifts", who.token(),
						"{\"gift_id\":2,\"count\":1,\"idempotency_key\":\"v-" + n + "\"}");
				assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
				sent.add(reply.string("$.id"));
			}));
		}
		sends.forEach(CompletableFuture::join);
		for (ImClient viewer : List.of(viewerA, viewerB)) {
			await().atMost(WAIT).until(() -> giftIds(viewer).size() >= 40);
			List<String> seen = giftIds(viewer);
			assertThat(seen).as("each gift once").doesNotHaveDuplicates();
			assertThat(new HashSet<>(seen)).isEqualTo(sent);
			viewer.close();
		}
		Reply top = this.api.get("/api/rooms/" + room + "/gifts/top?size=5", anchor.token());
		assertThat(top.strings("$.items[*].user_id")).containsExactly(Long.toString(big.id()),
				Long.toString(small.id()));
		assertThat(top.<List<Integer>>json("$.items[*].amount")).containsExactly(300, 100);
		// Redis loses the room's board and every gift's mark: the board comes back from
		// the ledger.
		Set<String> keys = this.redis.keys("room:{" + room + "}:*");
		this.redis.delete(keys);
		assertThat(this.apiB.get("/api/rooms/" + room + "/gifts/top?size=5", anchor.token()).body())
			.isEqualTo(top.body());
		// The broker delivers a settled gift again (as after a consumer crash between
		// settling and
		// acknowledging): its mark went with Redis, yet the rebuilt board doesn't count
		// it twice.
		Map<String, Object> settled = this.db
			.sql("""
					SELECT id, room_id, sender_id, anchor_id, gift_id, count, amount FROM gifts WHERE room_id = ? AND sender_id = ? AND state = 1 LIMIT 1""")
			.param(Long.parseLong(room))
			.param(big.id())
			.query()
			.singleRow();
		String again = String.join("|", "v1", settled.get("id").toString(), room, settled.get("sender_id").toString(),
				settled.get("anchor_id").toString(), settled.get("gift_id").toString(), settled.get("count").toString(),
				settled.get("amount").toString(), "", "0", Long.toString(System.currentTimeMillis()));
		this.rocketMq.send("economy-gifts", settled.get("id").toString(), again);
		await().during(Duration.ofSeconds(5))
			.atMost(Duration.ofSeconds(8))
			.until(() -> this.api.get("/api/rooms/" + room + "/gifts/top?size=5", anchor.token()).body(),
					top.body()::equals);
	}

	@Test
	void anAppKilledMidGiftStreamLosesNoAcknowledgedGiftAndAppliesNoneTwice() throws Exception {
		TestUser anchor = Users.create(this.api, "anchor");
		String room = openRoom(anchor);
		TestUser fan = funded("fan", 1_000_000);
		java.nio.file.Path log = java.nio.file.Files.createTempFile("economy-crash", ".log");
		Process victim = AppProcess.start(log, "--feed.login.fixed-code=1000",
				"--feed.gateway.node-id=eco-kill-" + UUID.randomUUID(), "--" + GIFT_RATE, "--" + SWEEP,
				"--feed.economy.payment.provider=http", "--feed.economy.payment.secret=" + SECRET,
				"--feed.economy.payment.url=" + provider.baseUrl(), "--" + NOTIFY);
		try {
			Api doomed = new Api(AppProcess.httpPort(log));
			Set<String> acknowledged = ConcurrentHashMap.newKeySet();
			Set<Integer> unanswered = ConcurrentHashMap.newKeySet();
			AtomicInteger next = new AtomicInteger();
			int total = 400;
			ExecutorService pool = Executors.newFixedThreadPool(8);
			List<CompletableFuture<Void>> streams = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				streams.add(CompletableFuture.runAsync(() -> {
					for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
						try {
							Reply reply = doomed.post("/api/rooms/" + room + "/gifts", fan.token(),
									"{\"gift_id\":3,\"count\":1,\"idempotency_key\":\"k-" + i + "\"}");
							if (reply.status() == 201) {
								acknowledged.add(reply.string("$.id"));
								continue;
							}
						}
						catch (RuntimeException connectionLost) {
							// the process died under this request
						}
						unanswered.add(i);
					}
				}, pool));
			}
			await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> acknowledged.size() >= 100);
			victim.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed
			victim.waitFor();
			streams.forEach(CompletableFuture::join);
			pool.shutdown();
			assertThat(unanswered).as("the kill interrupted the stream").isNotEmpty();
			// Every acknowledged gift is stored and debited.
			for (String id : acknowledged) {
				assertThat(this.db.sql("SELECT COUNT(*) FROM gifts WHERE id = ?")
					.param(Long.parseLong(id))
					.query(Long.class)
					.single()).as("gift " + id).isEqualTo(1);
			}
			// The client retries what went unanswered, on the surviving node, with the
			// same keys.
			for (int i : unanswered) {
				Reply retried = this.api.post("/api/rooms/" + room + "/gifts", fan.token(),
						"{\"gift_id\":3,\"count\":1,\"idempotency_key\":\"k-" + i + "\"}");
				assertThat(retried.status()).as(retried.toString()).isEqualTo(201);
			}
			long gifts = this.db.sql("SELECT COUNT(*) FROM gifts WHERE sender_id = ?")
				.param(fan.id())
				.query(Long.class)
				.single();
			assertThat(gifts).as("one gift per key, none lost, none doubled").isEqualTo(total);
			assertThat(wallet(fan)).isEqualTo(1_000_000 - 100L * total);
			// Effects that died with the process are finished by the survivor (redelivery
			// or the sweep).
			await().atMost(Duration.ofSeconds(90)).until(() -> earnings(anchor), e -> e == 100L * total);
			assertThat(this.api.get("/api/rooms/" + room + "/gifts/top", anchor.token())
				.<List<Integer>>json("$.items[*].amount")).containsExactly(100 * total);
			assertLedgerBalances();
		}
		finally {
			victim.destroyForcibly();
		}
	}

	// --- PK
	// -------------------------------------------------------------------------------------

	@Test
	void ofThreeAnchorsAcceptingOneInvitationExactlyOneWins() {
		TestUser host = Users.create(this.api, "host");
		String hostRoom = openRoom(host);
		Reply invitation = this.api.post("/api/pk", host.token(), "{\"room_id\":\"" + hostRoom + "\"}");
		assertThat(invitation.status()).as(invitation.toString()).isEqualTo(201);
		assertThat(invitation.string("$.status")).isEqualTo("OPEN");
		String pk = invitation.string("$.id");
		assertThat(this.api.post("/api/pk", host.token(), "{\"room_id\":\"" + hostRoom + "\"}").status())
			.as("one PK at a time")
			.isEqualTo(409);
		List<TestUser> rivals = List.of(Users.create(this.api, "r1"), Users.create(this.api, "r2"),
				Users.create(this.api, "r3"));
		Map<TestUser, String> rooms = new HashMap<>();
		rivals.forEach(r -> rooms.put(r, openRoom(r)));
		CountDownLatch go = new CountDownLatch(1);
		List<CompletableFuture<Reply>> accepts = new ArrayList<>();
		for (int i = 0; i < rivals.size(); i++) {
			TestUser rival = rivals.get(i);
			Api node = i % 2 == 0 ? this.api : this.apiB;
			accepts.add(CompletableFuture.supplyAsync(() -> {
				awaitLatch(go);
				return node.post("/api/pk/" + pk + "/accept", rival.token(),
						"{\"room_id\":\"" + rooms.get(rival) + "\"}");
			}));
		}
		go.countDown();
		List<Integer> statuses = accepts.stream().map(a -> a.join().status()).sorted().toList();
		assertThat(statuses).containsExactly(200, 409, 409);
		Reply running = this.api.get("/api/pk/" + pk, host.token());
		assertThat(running.string("$.status")).isEqualTo("RUNNING");
		assertThat(running.strings("$.rooms")).hasSize(2).contains(hostRoom);
		assertThat(this.api.get("/api/pk?status=RUNNING&size=100", host.token()).strings("$.items[*].id")).contains(pk);
	}

	@Test
	void aPkEndsAtItsDeadlineOnceInBothRoomsAndFreesItsAnchors() {
		TestUser host = Users.create(this.api, "host");
		TestUser rival = Users.create(this.api, "rival");
		String hostRoom = openRoom(host);
		String rivalRoom = openRoom(rival);
		ImClient inHost = viewer(this.gatewayA, hostRoom);
		ImClient inRival = viewer(this.gatewayB, rivalRoom);
		String pk = this.api.post("/api/pk", host.token(), "{\"room_id\":\"" + hostRoom + "\"}").string("$.id");
		Reply accepted = this.apiB.post("/api/pk/" + pk + "/accept", rival.token(),
				"{\"room_id\":\"" + rivalRoom + "\"}");
		assertThat(accepted.string("$.status")).isEqualTo("RUNNING");
		TestUser fan = funded("fan", 100);
		assertThat(this.api
			.post("/api/rooms/" + hostRoom + "/gifts", fan.token(),
					"{\"gift_id\":2,\"count\":3,\"to\":\"" + rival.id() + "\",\"idempotency_key\":\"d1\"}")
			.status()).isEqualTo(201);
		// Node B runs PKs for 8 s: the delayed deadline message ends it; the higher score
		// wins.
		await().atMost(WAIT)
			.until(() -> this.api.get("/api/pk/" + pk, host.token()).string("$.status"), "ENDED"::equals);
		Reply ended = this.api.get("/api/pk/" + pk, host.token());
		assertThat(ended.string("$.winner")).isEqualTo(Long.toString(rival.id()));
		assertThat(ended.number("$.scores." + rival.id())).isEqualTo(30);
		for (ImClient viewer : List.of(inHost, inRival)) {
			await().atMost(WAIT).until(() -> items(viewer, "pk_end").size() == 1);
			await().pollDelay(Duration.ofSeconds(1)).atMost(WAIT).until(() -> true);
			assertThat(items(viewer, "pk_end")).as("announced once").hasSize(1);
			assertThat(items(viewer, "pk_end").get(0).get("winner")).isEqualTo(Long.toString(rival.id()));
			assertThat(items(viewer, "pk").stream()
				.anyMatch(
						f -> Integer.valueOf(30).equals(((Map<?, ?>) f.get("scores")).get(Long.toString(rival.id())))))
				.as("the bar moved in both rooms")
				.isTrue();
			viewer.close();
		}
		assertThat(this.api.post("/api/pk", host.token(), "{\"room_id\":\"" + hostRoom + "\"}").status())
			.as("free again")
			.isEqualTo(201);
		assertThat(this.api.post("/api/pk", rival.token(), "{\"room_id\":\"" + rivalRoom + "\"}").status())
			.isEqualTo(201);
	}

	@Test
	void aThousandConcurrentGiftsMoveTheBarByExactlyWhatTheLedgerSaysAndTheEndIsAnnouncedOnce() {
		TestUser red = Users.create(this.api, "red");
		TestUser blue = Users.create(this.api, "blue");
		String redRoom = openRoom(red);
		String blueRoom = openRoom(blue);
		String pk = this.api.post("/api/pk", red.token(), "{\"room_id\":\"" + redRoom + "\"}").string("$.id");
		Reply accepted = this.api.post("/api/pk/" + pk + "/accept", blue.token(), "{\"room_id\":\"" + blueRoom + "\"}");
		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
		ImClient inRed = viewer(this.gatewayA, redRoom);
		ImClient inBlue = viewer(this.gatewayB, blueRoom);
		List<TestUser> fans = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			fans.add(funded("fan" + i, 10_000));
		}
		ExecutorService pool = Executors.newFixedThreadPool(16);
		List<CompletableFuture<Reply>> gifts = new ArrayList<>();
		long given = 0;
		for (int i = 0; i < 1_000; i++) {
			given += 1 + i % 3;
			TestUser fan = fans.get(i % fans.size());
			// even: the bar stays near 50:50, so the PK runs on
			TestUser to = i % 2 == 0 ? red : blue;
			String room = i % 3 == 0 ? blueRoom : redRoom;
			String body = "{\"gift_id\":1,\"count\":" + (1 + i % 3) + ",\"to\":\"" + to.id()
					+ "\",\"idempotency_key\":\"pk-" + i + "\"}";
			Api node = i % 2 == 0 ? this.api : this.apiB;
			gifts.add(CompletableFuture.supplyAsync(() -> node.post("/api/rooms/" + room + "/gifts", fan.token(), body),
					pool));
		}
		gifts.forEach(g -> assertThat(g.join().status()).as(g.join().toString()).isEqualTo(201));
		pool.shutdown();
		await().atMost(WAIT).until(() -> pendingGifts(pk) == 0);
		Map<String, Long> ledger = pkLedger(pk);
		Reply bar = this.api.get("/api/pk/" + pk, red.token());
		assertThat(bar.string("$.status")).isEqualTo("RUNNING");
		assertThat(bar.number("$.scores." + red.id())).isEqualTo(ledger.get(Long.toString(red.id())));
		assertThat(bar.number("$.scores." + blue.id())).isEqualTo(ledger.get(Long.toString(blue.id())));
		assertThat(ledger.values().stream().mapToLong(Long::longValue).sum()).as("every gift counted").isEqualTo(given);

		// A Galaxy (5,000 coins) to red: 500 points, red reaches 100 and wins.
		assertThat(this.api
			.post("/api/rooms/" + redRoom + "/gifts", fans.get(0).token(),
					"{\"gift_id\":5,\"count\":1,\"to\":\"" + red.id() + "\",\"idempotency_key\":\"win\"}")
			.status()).isEqualTo(201);
		await().atMost(WAIT)
			.until(() -> this.api.get("/api/pk/" + pk, red.token()).string("$.status"), "ENDED"::equals);
		Reply ended = this.api.get("/api/pk/" + pk, red.token());
		assertThat(ended.string("$.winner")).isEqualTo(Long.toString(red.id()));
		for (ImClient viewer : List.of(inRed, inBlue)) {
			await().atMost(WAIT).until(() -> items(viewer, "pk_end").size() == 1);
		}
		// A gift after the end is a gift, but the bar stays where it ended.
		assertThat(this.apiB
			.post("/api/rooms/" + blueRoom + "/gifts", fans.get(1).token(),
					"{\"gift_id\":5,\"count\":1,\"idempotency_key\":\"after\"}")
			.status()).isEqualTo(201);
		await().atMost(WAIT).until(() -> pendingGifts(pk) == 0);
		Reply after = this.api.get("/api/pk/" + pk, red.token());
		assertThat(after.number("$.scores." + red.id())).isEqualTo(ended.number("$.scores." + red.id()));
		assertThat(after.number("$.scores." + blue.id())).isEqualTo(ended.number("$.scores." + blue.id()));
		Map<String, Long> finalLedger = pkLedger(pk);
		assertThat(after.number("$.scores." + red.id())).isEqualTo(finalLedger.get(Long.toString(red.id())));
		assertThat(after.number("$.scores." + blue.id())).isEqualTo(finalLedger.get(Long.toString(blue.id())));
		for (ImClient viewer : List.of(inRed, inBlue)) {
			await().pollDelay(Duration.ofSeconds(1)).atMost(WAIT).until(() -> true);
			assertThat(items(viewer, "pk_end")).as("announced once").hasSize(1);
			viewer.close();
		}
		assertLedgerBalances();
	}

	// --- helpers
	// --------------------------------------------------------------------------------

	// --- red-packet rain
	// -------------------------------------------------------------------------

	@Test
	void aRainIsAnnouncedOnceEachUserTakesOnePacketOnEitherNodeAndTheRestGoesBackAtTheEnd() {
		TestUser anchor = funded("rain-anchor", 10_000);
		String room = openRoom(anchor);
		String prepare = "{\"total\":1000,\"count\":40,\"duration_s\":12,\"idempotency_key\":\"rain-1\"}";
		assertThat(this.api.post("/api/rooms/" + room + "/red-packet-rains", anchor.token(), prepare).status())
			.as("no grant yet")
			.isEqualTo(403);
		TestUser moderator = Users.login(this.api, MODERATOR, "moderator");
		assertThat(this.api.post("/api/moderation/red-packet-grants/" + anchor.id(), anchor.token(), null).status())
			.as("not a moderator")
			.isEqualTo(403);
		assertThat(this.api.post("/api/moderation/red-packet-grants/" + anchor.id(), moderator.token(), null).status())
			.isEqualTo(204);
		Reply prepared = this.api.post("/api/rooms/" + room + "/red-packet-rains", anchor.token(), prepare);
		assertThat(prepared.status()).as(prepared.toString()).isEqualTo(201);
		assertThat(prepared.string("$.status")).isEqualTo("READY");
		String rain = prepared.string("$.id");
		assertThat(this.apiB.post("/api/rooms/" + room + "/red-packet-rains", anchor.token(), prepare).string("$.id"))
			.as("a retry, other node")
			.isEqualTo(rain);
		assertThat(wallet(anchor)).as("the budget is debited once, at once").isEqualTo(9_000);
		assertThat(this.api
			.post("/api/rooms/" + room + "/red-packet-rains", anchor.token(),
					"{\"total\":90000,\"count\":5,\"duration_s\":4,\"idempotency_key\":\"rain-2\"}")
			.status()).as("short").isEqualTo(409);
		assertThat(this.api
			.post("/api/rooms/" + room + "/red-packet-rains", anchor.token(),
					"{\"total\":3,\"count\":5,\"duration_s\":4,\"idempotency_key\":\"rain-3\"}")
			.status()).as("packets under 1").isEqualTo(400);
		TestUser early = Users.create(this.api, "early");
		assertThat(this.api.post("/api/rooms/" + room + "/red-packet-rains/" + rain + "/grab", early.token(), null)
			.status()).as("not started").isEqualTo(410);

		ImClient viewerA = viewer(this.gatewayA, room);
		ImClient viewerB = viewer(this.gatewayB, room);
		// Started on both nodes at once, twice each: one window, one announcement.
		List<CompletableFuture<Reply>> starts = new ArrayList<>();
		for (Api node : List.of(this.api, this.apiB, this.api, this.apiB)) {
			starts.add(CompletableFuture.supplyAsync(() -> node
				.post("/api/rooms/" + room + "/red-packet-rains/" + rain + "/start", anchor.token(), null)));
		}
		Set<String> endsAt = new HashSet<>();
		for (CompletableFuture<Reply> start : starts) {
			Reply reply = start.join();
			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.string("$.status")).isEqualTo("RUNNING");
			endsAt.add(reply.string("$.ends_at"));
		}
		assertThat(endsAt).hasSize(1);

		// 30 people grab twice each, on both nodes at once: one packet each (per_user 1),
		// 10 left.
		List<TestUser> grabbers = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			grabbers.add(Users.create(this.api, "grabber"));
		}
		Map<Long, Long> got = new ConcurrentHashMap<>();
		AtomicInteger refused = new AtomicInteger();
		List<CompletableFuture<Void>> grabs = new ArrayList<>();
		for (int i = 0; i < 60; i++) {
			TestUser who = grabbers.get(i % 30);
			Api node = i % 2 == 0 ? this.api : this.apiB;
			grabs.add(CompletableFuture.runAsync(() -> {
				Reply reply = node.post("/api/rooms/" + room + "/red-packet-rains/" + rain + "/grab", who.token(),
						null);
				if (reply.status() == 200) {
					assertThat(got.put(who.id(), reply.number("$.amount"))).as("a second packet for one user").isNull();
				}
				else {
					assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
					refused.incrementAndGet();
				}
			}));
		}
		grabs.forEach(CompletableFuture::join);
		assertThat(got).hasSize(30);
		assertThat(refused).hasValue(30);
		assertThat(got.values()).allMatch(amount -> amount >= 1);
		long taken = got.values().stream().mapToLong(Long::longValue).sum();
		// A grab whose credit message was lost (the broker refused it): taken in Redis as
		// the grab
		// script takes it, never sent. The rain's end pays it.
		TestUser unlucky = Users.create(this.api, "unlucky");
		String packet = this.redis.opsForList().leftPop("rain:{" + rain + "}:packets");
		String[] indexAmount = packet.split(":");
		this.redis.opsForHash().put("rain:{" + rain + "}:grabs", indexAmount[0], unlucky.id() + ":" + indexAmount[1]);
		assertThat(this.api.get("/api/rooms/" + room + "/red-packet-rains/" + rain, anchor.token()).string("$.status"))
			.as("the lost grab is recorded before the end")
			.isEqualTo("RUNNING");
		got.put(unlucky.id(), Long.parseLong(indexAmount[1]));
		taken += Long.parseLong(indexAmount[1]);
		// Redis loses the running rain's packets and window (not who took what): starting
		// it again
		// offers no packet a second time and announces nothing again.
		this.redis.delete(List.of("rain:{" + rain + "}:packets", "rain:{" + rain + "}:state"));
		assertThat(this.apiB.post("/api/rooms/" + room + "/red-packet-rains/" + rain + "/start", anchor.token(), null)
			.string("$.ends_at")).isEqualTo(endsAt.iterator().next());
		assertThat(this.api.post("/api/rooms/" + room + "/red-packet-rains/" + rain + "/grab", early.token(), null)
			.status()).as("no packet offered twice").isNotEqualTo(200);
		for (TestUser grabber : grabbers) {
			await().atMost(WAIT).until(() -> wallet(grabber), got.get(grabber.id())::equals);
		}
		// The window closes: the rest goes back to the anchor once; a late grab is
		// refused.
		await().atMost(WAIT)
			.until(() -> this.api.get("/api/rooms/" + room + "/red-packet-rains/" + rain, anchor.token())
				.string("$.status"), "ENDED"::equals);
		Reply ended = this.apiB.get("/api/rooms/" + room + "/red-packet-rains/" + rain, anchor.token());
		assertThat(wallet(unlucky)).as("credited by the end").isEqualTo(got.get(unlucky.id()));
		assertThat(ended.number("$.grabbed")).isEqualTo(31);
		assertThat(ended.number("$.grabbed_amount")).isEqualTo(taken);
		assertThat(ended.number("$.refunded")).isEqualTo(1000 - taken);
		assertThat(wallet(anchor)).isEqualTo(9_000 + 1000 - taken);
		assertThat(this.api.post("/api/rooms/" + room + "/red-packet-rains/" + rain + "/grab", early.token(), null)
			.status()).isEqualTo(410);
		assertThat(this.db
			.sql("SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE account = 'RED_PACKETS' AND ref = ?")
			.param("rain:" + rain)
			.query(Long.class)
			.single()).as("the rain's escrow is empty").isZero();
		for (ImClient viewer : List.of(viewerA, viewerB)) {
			await().atMost(WAIT).until(() -> items(viewer, "red_packet_rain").size() >= 1);
			assertThat(items(viewer, "red_packet_rain")).as("announced once").hasSize(1);
			assertThat(items(viewer, "red_packet_rain").get(0)).containsEntry("rain", rain).containsEntry("room", room);
			viewer.close();
		}
		assertLedgerBalances();
	}

	// --- flash sale
	// ------------------------------------------------------------------------------

	@Test
	void aFlashSaleNeverOversellsHoweverClicksRaceAndWhatIsNotPaidGoesBackOnSaleOnce() throws Exception {
		TestUser anchor = Users.create(this.api, "seller");
		String room = openRoom(anchor);
		TestUser moderator = Users.login(this.api, MODERATOR, "moderator");
		Reply created = this.api.post("/api/goods", anchor.token(),
				"{\"name\":\"teapot\",\"price\":30,\"stock\":10,\"per_user_limit\":2}");
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		assertThat(created.string("$.status")).isEqualTo("PENDING");
		String goods = created.string("$.id");
		String shelve = "{\"goods_id\":\"" + goods + "\"}";
		assertThat(this.api.post("/api/rooms/" + room + "/shelf", anchor.token(), shelve).status())
			.as("not approved yet")
			.isEqualTo(409);
		assertThat(this.api.post("/api/moderation/goods/" + goods + "/approve", anchor.token(), null).status())
			.isEqualTo(403);
		assertThat(this.api.post("/api/moderation/goods/" + goods + "/approve", moderator.token(), null).status())
			.isEqualTo(204);
		assertThat(this.apiB.post("/api/rooms/" + room + "/shelf", anchor.token(), shelve).status()).isEqualTo(204);
		assertThat(this.api.get("/api/rooms/" + room + "/shelf", anchor.token()).<Integer>json("$.items[0].stock_left"))
			.isEqualTo(10);
		this.api.send("PUT", "/api/rooms/" + room + "/cart", anchor.token(),
				"{\"goods_id\":\"" + goods + "\",\"quantity\":1}", "application/json");
		assertThat(this.api.post("/api/rooms/" + room + "/orders", anchor.token(), "{\"idempotency_key\":\"own\"}")
			.status()).as("an anchor can't buy their own goods").isEqualTo(400);

		// 8 buyers want 2 each (16 > 10); each clicks "order" three times at once on both
		// nodes: twice
		// with one key (a retry), once with another (a second order over the limit).
		List<TestUser> buyers = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			TestUser buyer = funded("buyer", 100);
			Api node = i % 2 == 0 ? this.api : this.apiB;
			assertThat(node
				.send("PUT", "/api/rooms/" + room + "/cart", buyer.token(),
						"{\"goods_id\":\"" + goods + "\",\"quantity\":2}", "application/json")
				.status()).isEqualTo(204);
			buyers.add(buyer);
		}
		assertThat(this.api
			.send("PUT", "/api/rooms/" + room + "/cart", buyers.get(0).token(),
					"{\"goods_id\":\"" + goods + "\",\"quantity\":3}", "application/json")
			.status()).as("over the per-user limit").isEqualTo(400);
		assertThat(this.api.get("/api/rooms/" + room + "/cart", buyers.get(0).token())
			.<Integer>json("$.items[0].quantity")).isEqualTo(2);
		Map<Long, Set<String>> ordersOf = new ConcurrentHashMap<>();
		Map<String, Integer> units = new ConcurrentHashMap<>();
		List<CompletableFuture<Void>> clicks = new ArrayList<>();
		for (TestUser buyer : buyers) {
			for (String[] click : new String[][] { { "a", "k1" }, { "b", "k1" }, { "a", "k2" } }) {
				Api node = "a".equals(click[0]) ? this.api : this.apiB;
				clicks.add(CompletableFuture.runAsync(() -> {
					Reply reply = node.post("/api/rooms/" + room + "/orders", buyer.token(),
							"{\"idempotency_key\":\"" + click[1] + "\"}");
					if (reply.status() == 201) {
						assertThat(reply.string("$.status")).isEqualTo("HELD");
						ordersOf.computeIfAbsent(buyer.id(), b -> ConcurrentHashMap.newKeySet())
							.add(reply.string("$.id"));
						units.put(reply.string("$.id"), reply.<Integer>json("$.items[0].quantity"));
					}
					else {
						assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
					}
				}));
			}
		}
		clicks.forEach(CompletableFuture::join);
		assertThat(units.values().stream().mapToInt(Integer::intValue).sum()).as("every unit held once, none oversold")
			.isEqualTo(10);
		assertThat(ordersOf.values()).as("one order per buyer").allMatch(orders -> orders.size() == 1);
		assertThat(ordersOf).hasSize(5);
		assertThat(
				this.apiB.get("/api/rooms/" + room + "/shelf", anchor.token()).<Integer>json("$.items[0].stock_left"))
			.isZero();

		// Three pay (one twice, on both nodes); two don't.
		List<Long> holders = List.copyOf(ordersOf.keySet());
		Map<Long, TestUser> byId = new HashMap<>();
		buyers.forEach(buyer -> byId.put(buyer.id(), buyer));
		for (int i = 0; i < 3; i++) {
			TestUser buyer = byId.get(holders.get(i));
			String order = ordersOf.get(buyer.id()).iterator().next();
			for (Api node : i == 0 ? List.of(this.api, this.apiB) : List.of(this.api)) {
				Reply paid = node.post("/api/orders/" + order + "/pay", buyer.token(), "{\"idempotency_key\":\"p\"}");
				assertThat(paid.status()).as(paid.toString()).isEqualTo(200);
				assertThat(paid.string("$.status")).isEqualTo("PAID");
			}
			assertThat(wallet(buyer)).as("debited once").isEqualTo(40);
		}
		assertThat(earnings(anchor)).isEqualTo(180);
		// The other two expire after pay-within: their 4 units go back on sale, once.
		for (int i = 3; i < 5; i++) {
			TestUser buyer = byId.get(holders.get(i));
			String order = ordersOf.get(buyer.id()).iterator().next();
			await().atMost(WAIT)
				.until(() -> this.api.get("/api/orders/" + order, buyer.token()).string("$.status"), "EXPIRED"::equals);
			assertThat(this.apiB.post("/api/orders/" + order + "/pay", buyer.token(), "{\"idempotency_key\":\"p\"}")
				.status()).isEqualTo(410);
			assertThat(wallet(buyer)).isEqualTo(100);
		}
		await().atMost(WAIT)
			.until(() -> this.api.get("/api/rooms/" + room + "/shelf", anchor.token())
				.<Integer>json("$.items[0].stock_left"), left -> left == 4);

		// Payment racing the expiry: whichever wins, stock left + sold + held stays the
		// stock.
		TestUser racer = funded("racer", 100);
		this.api.send("PUT", "/api/rooms/" + room + "/cart", racer.token(),
				"{\"goods_id\":\"" + goods + "\",\"quantity\":2}", "application/json");
		Reply held = this.api.post("/api/rooms/" + room + "/orders", racer.token(), "{\"idempotency_key\":\"race\"}");
		assertThat(held.status()).as(held.toString()).isEqualTo(201);
		long payBy = java.time.Instant.parse(held.string("$.pay_by")).toEpochMilli();
		Thread.sleep(Math.max(0, payBy - System.currentTimeMillis() - 30));
		List<CompletableFuture<Integer>> pays = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			Api node = i % 2 == 0 ? this.api : this.apiB;
			pays.add(CompletableFuture.supplyAsync(() -> node
				.post("/api/orders/" + held.string("$.id") + "/pay", racer.token(), "{\"idempotency_key\":\"r\"}")
				.status()));
		}
		Set<Integer> outcomes = new HashSet<>();
		pays.forEach(pay -> outcomes.add(pay.join()));
		assertThat(outcomes).as("all the same way").hasSize(1);
		boolean paid = outcomes.contains(200);
		assertThat(wallet(racer)).isEqualTo(paid ? 40 : 100);
		int sold = this.db.sql("SELECT sold FROM goods WHERE id = ?")
			.param(Long.parseLong(goods))
			.query(Integer.class)
			.single();
		assertThat(sold).isEqualTo(paid ? 8 : 6);
		await().atMost(WAIT)
			.until(() -> this.api.get("/api/rooms/" + room + "/shelf", anchor.token())
				.<Integer>json("$.items[0].stock_left"), left -> left == 10 - sold);

		// Redis loses the stock: it is rebuilt from MariaDB (stock - sold - held), never
		// more.
		this.redis.delete("goods:{" + goods + "}:stock");
		TestUser late = funded("late", 100);
		this.apiB.send("PUT", "/api/rooms/" + room + "/cart", late.token(),
				"{\"goods_id\":\"" + goods + "\",\"quantity\":2}", "application/json");
		Reply lateOrder = this.apiB.post("/api/rooms/" + room + "/orders", late.token(), "{\"idempotency_key\":\"l\"}");
		assertThat(lateOrder.status()).isEqualTo(201);
		assertThat(this.api.get("/api/rooms/" + room + "/shelf", anchor.token()).<Integer>json("$.items[0].stock_left"))
			.isEqualTo(10 - sold - 2);
		// The late order isn't paid either: once it expired and the sale is quiet,
		// MariaDB's copy of
		// the stock (the 15 s sync) agrees with Redis.
		await().atMost(WAIT)
			.until(() -> this.api.get("/api/orders/" + lateOrder.string("$.id"), late.token()).string("$.status"),
					"EXPIRED"::equals);
		await().atMost(Duration.ofSeconds(45)).until(() -> {
			int inDb = this.db.sql("SELECT stock_left FROM goods WHERE id = ?")
				.param(Long.parseLong(goods))
				.query(Integer.class)
				.single();
			Object inRedis = this.redis.opsForHash().get("goods:{" + goods + "}:stock", "left");
			return inDb == 10 - sold && Integer.toString(10 - sold).equals(inRedis);
		});
		assertLedgerBalances();
	}

	// --- issue 18's load cases
	// ------------------------------------------------------------------

	@Test
	void aThousandGrabsFromThreeHundredUsersOnBothNodesTakeEachOfAHundredPacketsExactlyOnce() throws Exception {
		TestUser anchor = funded("rain-anchor", 10_000);
		String room = openRoom(anchor);
		TestUser moderator = Users.login(this.api, MODERATOR, "moderator");
		this.api.post("/api/moderation/red-packet-grants/" + anchor.id(), moderator.token(), null);
		Reply prepared = this.api.post("/api/rooms/" + room + "/red-packet-rains", anchor.token(),
				"{\"total\":10000,\"count\":100,\"duration_s\":60,\"idempotency_key\":\"load\"}");
		assertThat(prepared.status()).as(prepared.toString()).isEqualTo(201);
		String rain = prepared.string("$.id");
		List<TestUser> users = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			users.add(Users.create(i % 2 == 0 ? this.api : this.apiB, "grabber"));
		}
		assertThat(this.api.post("/api/rooms/" + room + "/red-packet-rains/" + rain + "/start", anchor.token(), null)
			.status()).isEqualTo(200);
		ExecutorService pool = Executors.newFixedThreadPool(32);
		Map<Long, Long> got = new ConcurrentHashMap<>();
		AtomicInteger ok = new AtomicInteger();
		AtomicInteger refused = new AtomicInteger();
		List<java.util.concurrent.Future<?>> grabs = new ArrayList<>();
		for (int i = 0; i < 1_000; i++) {
			TestUser who = users.get(i % 300);
			Api node = i % 2 == 0 ? this.api : this.apiB;
			grabs.add(pool.submit(() -> {
				Reply reply = node.post("/api/rooms/" + room + "/red-packet-rains/" + rain + "/grab", who.token(),
						null);
				if (reply.status() == 200) {
					ok.incrementAndGet();
					assertThat(got.put(who.id(), reply.number("$.amount"))).as("a second packet for one user").isNull();
				}
				else {
					assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
					refused.incrementAndGet();
				}
			}));
		}
		for (java.util.concurrent.Future<?> grab : grabs) {
			grab.get();
		}
		pool.shutdown();
		assertThat(ok).hasValue(100);
		assertThat(refused).hasValue(900);
		assertThat(got.values().stream().mapToLong(Long::longValue).sum()).as("every coin of the rain taken once")
			.isEqualTo(10_000);
		// Every packet credited through the broker, once: the grabbers' legs of this rain
		// add up to its total.
		await().atMost(WAIT)
			.until(() -> this.db.sql(
					"SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE kind = 'RED_PACKET_GRAB' AND account = 'COINS' AND ref = ?")
				.param("rain:" + rain)
				.query(Long.class)
				.single() == 10_000L);
		assertThat(this.db.sql("SELECT COUNT(*) FROM red_packet_grabs WHERE rain_id = ?")
			.param(Long.parseLong(rain))
			.query(Long.class)
			.single()).isEqualTo(100);
		for (TestUser user : users) {
			assertThat(wallet(user)).isEqualTo(got.getOrDefault(user.id(), 0L));
		}
		assertLedgerBalances();
	}

	@Test
	void anAppKilledMidRainLosesNoAcknowledgedPacketCreditsNoneTwiceAndRefundsTheRestOnce() throws Exception {
		TestUser anchor = funded("rain-anchor", 10_000);
		String room = openRoom(anchor);
		TestUser moderator = Users.login(this.api, MODERATOR, "moderator");
		this.api.post("/api/moderation/red-packet-grants/" + anchor.id(), moderator.token(), null);
		List<TestUser> users = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			users.add(Users.create(i % 2 == 0 ? this.api : this.apiB, "grabber"));
		}
		java.nio.file.Path log = java.nio.file.Files.createTempFile("rain-crash", ".log");
		Process victim = AppProcess.start(log, "--feed.login.fixed-code=1000",
				"--feed.gateway.node-id=rain-kill-" + UUID.randomUUID(), "--" + SWEEP,
				"--feed.moderators=" + MODERATOR);
		try {
			Api doomed = new Api(AppProcess.httpPort(log));
			Reply prepared = this.api.post("/api/rooms/" + room + "/red-packet-rains", anchor.token(),
					"{\"total\":10000,\"count\":100,\"duration_s\":25,\"idempotency_key\":\"crash\"}");
			assertThat(prepared.status()).as(prepared.toString()).isEqualTo(201);
			String rain = prepared.string("$.id");
			String grab = "/api/rooms/" + room + "/red-packet-rains/" + rain + "/grab";
			assertThat(doomed.post("/api/rooms/" + room + "/red-packet-rains/" + rain + "/start", anchor.token(), null)
				.status()).isEqualTo(200);
			Map<Long, Long> acknowledged = new ConcurrentHashMap<>();
			Set<TestUser> unanswered = ConcurrentHashMap.newKeySet();
			AtomicInteger next = new AtomicInteger();
			ExecutorService pool = Executors.newFixedThreadPool(8);
			List<CompletableFuture<Void>> streams = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				streams.add(CompletableFuture.runAsync(() -> {
					for (int i = next.getAndIncrement(); i < users.size(); i = next.getAndIncrement()) {
						TestUser who = users.get(i);
						try {
							Reply reply = doomed.post(grab, who.token(), null);
							if (reply.status() == 200) {
								acknowledged.put(who.id(), reply.number("$.amount"));
								continue;
							}
							if (reply.status() == 409) {
								continue;
							}
						}
						catch (RuntimeException connectionLost) {
							// the process died under this request
						}
						unanswered.add(who);
					}
				}, pool));
			}
			await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> acknowledged.size() >= 30);
			// SIGKILL mid-rain: grabs taken in Redis, some credits maybe not sent
			victim.destroyForcibly();
			victim.waitFor();
			streams.forEach(CompletableFuture::join);
			pool.shutdown();
			assertThat(unanswered).as("the kill interrupted the grabs").isNotEmpty();
			// Whoever got no answer tries again on the surviving node: a packet, or "you
			// took yours".
			Map<Long, Long> retried = new ConcurrentHashMap<>();
			for (TestUser who : unanswered) {
				Reply reply = this.api.post(grab, who.token(), null);
				assertThat(reply.status()).as(reply.toString()).isIn(200, 409);
				if (reply.status() == 200) {
					retried.put(who.id(), reply.number("$.amount"));
				}
			}
			// The window closes (the end timer was sent by the dead node; the broker
			// keeps it).
			await().atMost(Duration.ofSeconds(90))
				.until(() -> this.api.get("/api/rooms/" + room + "/red-packet-rains/" + rain, anchor.token())
					.string("$.status"), "ENDED"::equals);
			Reply ended = this.api.get("/api/rooms/" + room + "/red-packet-rains/" + rain, anchor.token());
			long grabbed = ended.number("$.grabbed_amount");
			assertThat(ended.number("$.grabbed")).isLessThanOrEqualTo(100);
			assertThat(grabbed + ended.number("$.refunded")).as("taken + refunded = the budget").isEqualTo(10_000);
			// Every acknowledged packet is credited, once; whoever got none has nothing.
			Map<Long, Long> told = new HashMap<>(acknowledged);
			told.putAll(retried);
			for (TestUser user : users) {
				long credited = this.db.sql(
						"SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE kind = 'RED_PACKET_GRAB' AND account = 'COINS' AND ref = ? AND account_owner = ?")
					.params("rain:" + rain, user.id())
					.query(Long.class)
					.single();
				if (told.containsKey(user.id())) {
					assertThat(credited).as("user " + user.id() + " was told " + told.get(user.id()))
						.isEqualTo(told.get(user.id()));
				}
				assertThat(wallet(user)).as("one packet at most, credited once").isEqualTo(credited);
			}
			long creditedAll = this.db.sql(
					"SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE kind = 'RED_PACKET_GRAB' AND account = 'COINS' AND ref = ?")
				.param("rain:" + rain)
				.query(Long.class)
				.single();
			assertThat(creditedAll).as("credits = what the rain says was taken").isEqualTo(grabbed);
			assertThat(wallet(anchor)).as("the rest refunded once").isEqualTo(10_000 - grabbed);
			assertLedgerBalances();
		}
		finally {
			victim.destroyForcibly();
		}
	}

	@Test
	void twoThousandPreOrdersFromFiveHundredUsersOnBothNodesNeverHoldMoreThanTheHundredInStock() throws Exception {
		TestUser anchor = Users.create(this.api, "seller");
		String room = openRoom(anchor);
		TestUser moderator = Users.login(this.api, MODERATOR, "moderator");
		String goods = this.api.post("/api/goods", anchor.token(), "{\"name\":\"limited\",\"price\":5,\"stock\":100}")
			.string("$.id");
		this.api.post("/api/moderation/goods/" + goods + "/approve", moderator.token(), null);
		assertThat(this.api.post("/api/rooms/" + room + "/shelf", anchor.token(), "{\"goods_id\":\"" + goods + "\"}")
			.status()).isEqualTo(204);
		List<TestUser> users = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			Api node = i % 2 == 0 ? this.api : this.apiB;
			TestUser user = Users.create(node, "shopper");
			assertThat(node
				.send("PUT", "/api/rooms/" + room + "/cart", user.token(),
						"{\"goods_id\":\"" + goods + "\",\"quantity\":1}", "application/json")
				.status()).isEqualTo(204);
			users.add(user);
		}
		ExecutorService pool = Executors.newFixedThreadPool(32);
		Map<String, Long> orders = new ConcurrentHashMap<>();
		List<java.util.concurrent.Future<?>> clicks = new ArrayList<>();
		for (int i = 0; i < 2_000; i++) {
			TestUser who = users.get(i % 500);
			Api node = i % 2 == 0 ? this.api : this.apiB;
			// each user: two keys, each clicked twice
			String key = (i / 500) % 2 == 0 ? "first" : "second";
			clicks.add(pool.submit(() -> {
				Reply reply = node.post("/api/rooms/" + room + "/orders", who.token(),
						"{\"idempotency_key\":\"" + key + "\"}");
				if (reply.status() == 201) {
					orders.put(reply.string("$.id"), who.id());
				}
				else {
					assertThat(reply.status()).as(reply.toString()).isIn(409, 429);
				}
			}));
		}
		for (java.util.concurrent.Future<?> click : clicks) {
			click.get();
		}
		pool.shutdown();
		assertThat(orders.size()).as("every unit found a buyer").isGreaterThanOrEqualTo(100);
		// Orders expire after 6 s here, and the clicks may take longer, so a unit can be
		// held, given
		// back and held again. The invariant: at no moment are more than the 100 units
		// held. An
		// order's stored life [created, pay_by) lies inside its hold's life in Redis, so
		// this check
		// can miss an oversell but never invents one.
		List<long[]> lives = this.db
			.sql("""
					SELECT UNIX_TIMESTAMP(o.created_at) * 1000, CASE o.status WHEN 2 THEN UNIX_TIMESTAMP(o.pay_by) * 1000 ELSE 9e15 END
					FROM sale_orders o JOIN sale_order_lines l ON l.order_id = o.id WHERE l.goods_id = ?""")
			.param(Long.parseLong(goods))
			.query((row, n) -> new long[] { row.getBigDecimal(1).longValue(), row.getBigDecimal(2).longValue() })
			.list();
		assertThat(lives).hasSize(orders.size());
		List<long[]> events = new ArrayList<>();
		lives.forEach(life -> {
			events.add(new long[] { life[0], 1 });
			events.add(new long[] { life[1], -1 });
		});
		// ends before starts at one instant
		events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
		int held = 0;
		int most = 0;
		for (long[] event : events) {
			held += (int) event[1];
			most = Math.max(most, held);
		}
		assertThat(most).as("units held at once").isLessThanOrEqualTo(100);
		// Unpaid, they all expire: every unit is back, once.
		await().atMost(WAIT)
			.until(() -> this.db.sql("SELECT COUNT(*) FROM sale_orders WHERE room_id = ? AND status = 0")
				.param(Long.parseLong(room))
				.query(Long.class)
				.single() == 0);
		await().atMost(WAIT)
			.until(() -> this.redis.opsForHash().get("goods:{" + goods + "}:stock", "left"), "100"::equals);
	}

	@Test
	void redisLosingTheStockOverAndOverMidSaleNeverHoldsOrSellsMoreThanThereIs() throws Exception {
		TestUser anchor = Users.create(this.api, "seller");
		String room = openRoom(anchor);
		TestUser moderator = Users.login(this.api, MODERATOR, "moderator");
		String goods = this.api.post("/api/goods", anchor.token(), "{\"name\":\"scarce\",\"price\":5,\"stock\":100}")
			.string("$.id");
		this.api.post("/api/moderation/goods/" + goods + "/approve", moderator.token(), null);
		assertThat(this.api.post("/api/rooms/" + room + "/shelf", anchor.token(), "{\"goods_id\":\"" + goods + "\"}")
			.status()).isEqualTo(204);
		List<TestUser> users = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			Api node = i % 2 == 0 ? this.api : this.apiB;
			TestUser user = funded("shopper", 10);
			assertThat(node
				.send("PUT", "/api/rooms/" + room + "/cart", user.token(),
						"{\"goods_id\":\"" + goods + "\",\"quantity\":1}", "application/json")
				.status()).isEqualTo(204);
			users.add(user);
		}
		String stockKey = "goods:{" + goods + "}:stock";
		ExecutorService pool = Executors.newFixedThreadPool(32);
		Map<String, Long> held = new ConcurrentHashMap<>();
		Set<String> paid = ConcurrentHashMap.newKeySet();
		List<String> refusedPayments = new java.util.concurrent.CopyOnWriteArrayList<>();
		AtomicInteger answered = new AtomicInteger();
		List<java.util.concurrent.Future<?>> clicks = new ArrayList<>();
		for (int i = 0; i < 1_200; i++) {
			TestUser who = users.get(i % 300);
			Api node = i % 2 == 0 ? this.api : this.apiB;
			String key = (i / 300) % 2 == 0 ? "first" : "second";
			// two buyers in three pay at once, on the other node; the rest let it expire
			boolean pays = (i % 300) % 3 != 0;
			clicks.add(pool.submit(() -> {
				Reply reply = node.post("/api/rooms/" + room + "/orders", who.token(),
						"{\"idempotency_key\":\"" + key + "\"}");
				// Redis loses the item's stock every 40 answers, while other clicks are
				// between their
				// hold and their order's insert: each loss is rebuilt from MariaDB.
				if (answered.incrementAndGet() % 40 == 0) {
					this.redis.delete(stockKey);
				}
				if (reply.status() != 201) {
					// 503: Redis lost the stock again while it was being restored; the
					// client tries later.
					assertThat(reply.status()).as(reply.toString()).isIn(409, 429, 503);
					return;
				}
				if (!"HELD".equals(reply.string("$.status"))) {
					return; // a retry of an order that already ended
				}
				String order = reply.string("$.id");
				held.put(order, who.id());
				if (pays) {
					Reply payment = (node == this.api ? this.apiB : this.api).post("/api/orders/" + order + "/pay",
							who.token(), "{\"idempotency_key\":\"p\"}");
					if (payment.status() == 200) {
						paid.add(order);
					}
					else if (payment.status() == 409) {
						// told HELD, then sold out: the oversell
						refusedPayments.add(payment.toString());
					}
					else {
						// paid too late (a slow machine)
						assertThat(payment.status()).as(payment.toString()).isEqualTo(410);
					}
				}
			}));
		}
		for (java.util.concurrent.Future<?> click : clicks) {
			click.get();
		}
		pool.shutdown();
		assertThat(refusedPayments).as("orders answered HELD whose units someone else had").isEmpty();
		int sold = this.db.sql("SELECT sold FROM goods WHERE id = ?")
			.param(Long.parseLong(goods))
			.query(Integer.class)
			.single();
		assertThat(sold).as("units sold = orders paid").isEqualTo(paid.size()).isLessThanOrEqualTo(100);
		// The orders answered HELD never held more than the 100 at once (their stored
		// lives; see the
		// pre-order load test).
		List<long[]> lives = this.db
			.sql("""
					SELECT o.id, UNIX_TIMESTAMP(o.created_at) * 1000, CASE o.status WHEN 2 THEN UNIX_TIMESTAMP(o.pay_by) * 1000 ELSE 9e15 END
					FROM sale_orders o JOIN sale_order_lines l ON l.order_id = o.id WHERE l.goods_id = ?""")
			.param(Long.parseLong(goods))
			.query((row,
					n) -> new long[] { row.getLong(1), row.getBigDecimal(2).longValue(),
							row.getBigDecimal(3).longValue() })
			.list()
			.stream()
			.filter(life -> held.containsKey(Long.toString(life[0])))
			.toList();
		assertThat(lives).hasSize(held.size());
		List<long[]> events = new ArrayList<>();
		lives.forEach(life -> {
			events.add(new long[] { life[1], 1 });
			events.add(new long[] { life[2], -1 });
		});
		events.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
		int atOnce = 0;
		int most = 0;
		for (long[] event : events) {
			atOnce += (int) event[1];
			most = Math.max(most, atOnce);
		}
		assertThat(most).as("units held at once").isLessThanOrEqualTo(100);
		for (TestUser user : users) {
			long orders = paid.stream().filter(order -> held.get(order) == user.id()).count();
			assertThat(wallet(user)).as("debited once per paid order").isEqualTo(10 - 5 * orders);
		}
		// Once every unpaid order expired, Redis and MariaDB agree on what is left: the
		// stock less what sold.
		await().atMost(WAIT)
			.until(() -> this.db
				.sql("SELECT COUNT(*) FROM sale_orders WHERE room_id = ? AND (status = 0 OR settled = 0)")
				.param(Long.parseLong(room))
				.query(Long.class)
				.single() == 0);
		await().atMost(Duration.ofSeconds(45)).until(() -> {
			Object inRedis = this.redis.opsForHash().get(stockKey, "left");
			int inDb = this.db.sql("SELECT stock_left FROM goods WHERE id = ?")
				.param(Long.parseLong(goods))
				.query(Integer.class)
				.single();
			return Integer.toString(100 - sold).equals(inRedis) && inDb == 100 - sold;
		});
		assertLedgerBalances();
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The PK's counted gifts per anchor, from MariaDB (the bar's ledger). */
	private Map<String, Long> pkLedger(String pk) {
		Map<String, Long> sums = new HashMap<>();
		this.db.sql("SELECT anchor_id, SUM(amount) FROM gifts WHERE pk_id = ? AND pk_counted = 1 GROUP BY anchor_id")
			.param(Long.parseLong(pk))
			.query((rs, n) -> sums.put(Long.toString(rs.getLong(1)), rs.getLong(2)))
			.list();
		return sums;
	}

	private long pendingGifts(String pk) {
		return this.db.sql("SELECT COUNT(*) FROM gifts WHERE pk_id = ? AND state = 0")
			.param(Long.parseLong(pk))
			.query(Long.class)
			.single();
	}

	private static List<String> giftIds(ImClient viewer) {
		return items(viewer, "gift").stream().map(item -> (String) item.get("id")).toList();
	}

	/**
	 * The room frames of a type the viewer got, alone or inside {@code batch} frames
	 * (API.md).
	 */
	private static List<Map<String, Object>> items(ImClient viewer, String type) {
		List<Map<String, Object>> found = new ArrayList<>();
		for (String frame : viewer.frames()) {
			Map<String, Object> whole = JsonPath.read(frame, "$");
			List<Map<String, Object>> candidates = "batch".equals(whole.get("type")) ? JsonPath.read(frame, "$.items")
					: List.of(whole);
			candidates.stream().filter(item -> type.equals(item.get("type"))).forEach(found::add);
		}
		return found;
	}

	private ImClient viewer(int gateway, String room) {
		ImClient viewer = ImClient.connect(gateway, Users.create(this.api, "viewer").token(), null);
		viewer.send("{\"type\":\"join\",\"room\":\"" + room + "\"}");
		viewer.await(f -> "joined".equals(f.read("$.type")), WAIT);
		return viewer;
	}

	private String openRoom(TestUser anchor) {
		return Rooms.open(this.api, anchor, "live");
	}

	/** A new user with {@code coins}, recharged through the provider's signed notice. */
	private TestUser funded(String name, long coins) {
		TestUser user = Users.create(this.api, name);
		String order = this.api
			.post("/api/wallet/recharges", user.token(),
					"{\"amount\":" + coins + ",\"idempotency_key\":\"" + UUID.randomUUID() + "\"}")
			.string("$.id");
		String notice = "{\"merchant_order_id\":\"" + order + "\",\"charge_id\":\"c\",\"amount\":" + coins
				+ ",\"status\":\"PAID\"}";
		assertThat(callback(this.api, notice, sign(notice)).status()).isEqualTo(204);
		return user;
	}

	private long wallet(TestUser user) {
		return this.api.get("/api/wallet", user.token()).number("$.balance");
	}

	private long earnings(TestUser user) {
		return this.api.get("/api/wallet", user.token()).number("$.earnings");
	}

	/**
	 * The books balance: every ledger transaction's legs sum to zero, and every wallet
	 * row equals the sum of its legs (coins and earnings).
	 */
	private void assertLedgerBalances() {
		assertThat(this.db.sql(
				"SELECT COUNT(*) FROM (SELECT txn_id, kind FROM ledger_entries GROUP BY txn_id, kind HAVING SUM(amount) <> 0) t")
			.query(Long.class)
			.single()).as("unbalanced transactions").isZero();
		assertThat(this.db
			.sql("""
					SELECT COUNT(*) FROM wallets w WHERE w.balance <> (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries e
					  WHERE e.account_owner = w.user_id AND e.account = 'COINS')
					OR w.earnings <> (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries e WHERE e.account_owner = w.user_id AND e.account = 'EARNINGS')""")
			.query(Long.class)
			.single()).as("wallets that disagree with their legs").isZero();
	}

	private static Reply callback(Api node, String body, String signature) {
		return signature == null ? node.send("POST", "/api/payments/callback", null, body, "application/json")
				: node.send("POST", "/api/payments/callback", null, body, "application/json", "X-Signature", signature);
	}

	static String sign(String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
