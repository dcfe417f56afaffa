package dev.feedplatform.bench;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.economy.redpacket.Rains;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Red-packet grabs and flash-sale pre-orders (issue 18): {@value HttpLoad#CLIENTS}
 * clients grab back to back from running rains (each grab: the grab script in Redis and
 * the credit's message to the broker, answered with the amount; the credits land in the
 * ledger meanwhile), then pre-order back to back (each: the shelf read, the hold script
 * per cart line, the order and its lines inserted, the expiry timer sent). Then each at a
 * fixed rate (open loop), for the latency. Same-run baselines: a trivial authenticated
 * GET ({@code /api/users/me}) from the same clients — the HTTP stack's ceiling that a
 * grab can't beat — and each script run bare through the platform's own Redis client from
 * as many threads. After the run: every packet taken is credited once and no more than
 * the rains held were taken; no more units are held than the stock.
 */
final class FlashBench {

	static final Duration RUN = Duration.ofSeconds(10);

	static final int USERS = 256;

	/**
	 * Rains grabbed from at once (each at most 10,000 packets), so a fast run never finds
	 * them empty.
	 */
	static final int RAINS = 8;

	static final int PACKETS = 10_000;

	static final int STOCK = 1_000_000;

	private final Bench bench;

	private final HttpLoad http;

	FlashBench(Bench bench) {
		this.bench = bench;
		this.http = new HttpLoad("flash", bench.http().port());
	}

	void run() throws Exception {
		Fixture fixture = this.bench.fixture();
		JdbcTemplate jdbc = this.bench.bean(JdbcTemplate.class);
		long anchor = fixture.users("flash-anchor", 1)[0];
		String anchorToken = fixture.token(anchor);
		long[] users = fixture.users("flash-user", USERS);
		String[] tokens = new String[USERS];
		for (int i = 0; i < USERS; i++) {
			tokens[i] = fixture.token(users[i]);
		}
		String room = this.bench.http()
			.postJson("/api/rooms", anchorToken, "{\"title\":\"flash\"}", "\"id\":\"(\\d+)\"");
		// The demo payment provider pays at once; a moderator's grant, straight into its
		// table.
		this.bench.http()
			.post("/api/wallet/recharges", anchorToken,
					"{\"amount\":" + (long) RAINS * PACKETS * 10 + ",\"idempotency_key\":\"flash\"}");
		jdbc.update("INSERT INTO red_packet_grants (user_id, granted_by) VALUES (?, ?)", anchor, anchor);
		Report report = this.bench.report();

		this.http.closedLoop(Duration.ofSeconds(5), (n, token) -> this.http.get("/api/users/me", token), tokens); // warm-up
		HttpLoad.Rate ceiling = this.http.closedLoop(Duration.ofSeconds(5),
				(n, token) -> this.http.get("/api/users/me", token), tokens);
		report.add(
				"flash", "trivial authenticated GET (token + one Redis read), " + HttpLoad.CLIENTS
						+ " clients, p50 / p99 " + ceiling.answered(),
				Report.num(ceiling.perSecond(), "/s"), "", "", "");

		// --- red-packet grabs
		// -------------------------------------------------------------------
		double bareGrab = bareGrabScript();
		report.add("flash", "bare grab script (Lua, same Redis client), " + HttpLoad.CLIENTS + " threads",
				Report.num(bareGrab, "/s"), "", "", "");
		List<String> rains = new ArrayList<>();
		for (int r = 0; r < RAINS; r++) {
			String rain = this.bench.http()
				.postJson("/api/rooms/" + room + "/red-packet-rains", anchorToken,
						"{\"total\":" + PACKETS * 10 + ",\"count\":" + PACKETS
								+ ",\"duration_s\":900,\"per_user\":100,\"idempotency_key\":\"flash-" + r + "\"}",
						"\"id\":\"(\\d+)\"");
			this.bench.http()
				.post("/api/rooms/" + room + "/red-packet-rains/" + rain + "/start", anchorToken, null, 200);
			rains.add(rain);
		}
		HttpLoad.Request grab = (n, token) -> this.http
			.post("/api/rooms/" + room + "/red-packet-rains/" + rains.get((int) (n % RAINS)) + "/grab", token, null);
		this.http.closedLoop(Duration.ofSeconds(3), grab, tokens); // warm-up
		System.out.println("[bench] flash: measuring grabs, closed loop");
		HttpLoad.Rate grabs = this.http.closedLoop(RUN, grab, tokens);
		report.add("flash",
				"red-packet grabs/s (200), " + HttpLoad.CLIENTS + " clients back to back, vs the trivial GET",
				Report.num(grabs.perSecond(), "/s"), Report.num(ceiling.perSecond(), "/s GET"),
				Report.ratio(grabs.perSecond() / ceiling.perSecond()), "≥ 0.8×");
		report.add("flash", "  grabs vs the bare grab script", Report.num(grabs.perSecond(), "/s"),
				Report.num(bareGrab, "/s Lua"), Report.ratio(grabs.perSecond() / bareGrab), "");
		report.add("flash", "  grab answered p50 / p99, saturated (closed loop)", grabs.answered(), "", "", "");
		double grabRate = Math.min(grabs.perSecond(), ceiling.perSecond()) * 0.5;
		System.out.println("[bench] flash: measuring grabs, open loop");
		HttpLoad.Rate openGrabs = this.http.openLoop(RUN, grabRate, grab, tokens);
		report.add("flash", "  open loop at " + Report.num(grabRate, "/s") + ": grab answered p50 / p99",
				openGrabs.answered(), "", "", "p99 ≤ 50 ms");
		report.add("flash", "  packets taken in Redis / credits in the ledger / coins credited beyond those taken",
				packets(jdbc, this.bench.redis(), rains), "", "", "n / n / 0");

		// --- flash-sale pre-orders
		// ---------------------------------------------------------------
		double bareHold = bareHoldScript();
		report.add("flash", "bare hold script (Lua, same Redis client), " + HttpLoad.CLIENTS + " threads",
				Report.num(bareHold, "/s"), "", "", "");
		String goods = this.bench.http()
			.postJson("/api/goods", anchorToken,
					"{\"name\":\"bench\",\"price\":1,\"stock\":" + STOCK + ",\"per_user_limit\":" + STOCK + "}",
					"\"id\":\"(\\d+)\"");
		// a moderator's approval
		jdbc.update("UPDATE goods SET status = 1 WHERE id = ?", Long.parseLong(goods));
		this.bench.http().post("/api/rooms/" + room + "/shelf", anchorToken, "{\"goods_id\":\"" + goods + "\"}", 204);
		StringRedisTemplate redis = this.bench.redis();
		// Each pre-order empties the cart: the next click's cart line is put back
		// straight into Redis
		// (one HSET, part of the timed request) rather than by a second HTTP call.
		HttpLoad.Request preOrder = (n, token) -> {
			long user = users[(int) Math.floorMod(n, (long) USERS)];
			redis.opsForHash().put(RedisKeys.cart(user, Long.parseLong(room)), goods, "1");
			return this.http.post("/api/rooms/" + room + "/orders", tokens[(int) Math.floorMod(n, (long) USERS)],
					"{\"idempotency_key\":\"o" + n + "\"}");
		};
		// preOrder picks the user from n, so the client's token is unused
		String[] byIndex = { "" };
		this.http.closedLoop(Duration.ofSeconds(3), offset(preOrder, 0), byIndex); // warm-up
		System.out.println("[bench] flash: measuring pre-orders, closed loop");
		HttpLoad.Rate orders = this.http.closedLoop(RUN, offset(preOrder, 1_000_000_000L), byIndex);
		report.add("flash", "pre-orders/s (201), " + HttpLoad.CLIENTS + " clients back to back, vs the trivial GET",
				Report.num(orders.perSecond(), "/s"), Report.num(ceiling.perSecond(), "/s GET"),
				Report.ratio(orders.perSecond() / ceiling.perSecond()), "≥ 0.6×");
		report.add("flash", "  pre-orders vs the bare hold script", Report.num(orders.perSecond(), "/s"),
				Report.num(bareHold, "/s Lua"), Report.ratio(orders.perSecond() / bareHold), "");
		report.add("flash", "  pre-order answered p50 / p99, saturated (closed loop)", orders.answered(), "", "", "");
		double orderRate = Math.min(orders.perSecond(), ceiling.perSecond()) * 0.5;
		System.out.println("[bench] flash: measuring pre-orders, open loop");
		HttpLoad.Rate openOrders = this.http.openLoop(RUN, orderRate, offset(preOrder, 2_000_000_000L), byIndex);
		report.add("flash", "  open loop at " + Report.num(orderRate, "/s") + ": pre-order answered p50 / p99",
				openOrders.answered(), "", "", "p99 ≤ 50 ms");
		report.add("flash", "  units: held by stored orders / held in Redis / oversold", units(jdbc, redis, goods), "",
				"", "n / n / 0");
		cleanUp(jdbc, redis, anchor, goods, rains);
	}

	/**
	 * {@code request} numbered from {@code first}: each loop's pre-orders get idempotency
	 * keys of their own.
	 */
	private static HttpLoad.Request offset(HttpLoad.Request request, long first) {
		return (n, token) -> request.request(first + n, token);
	}

	/**
	 * Packets taken in Redis (the grab script's record), the credits in the ledger
	 * (waited for), and the coins credited beyond those taken: a lost credit shows in the
	 * first two, a double one in the third.
	 */
	private static String packets(JdbcTemplate jdbc, StringRedisTemplate redis, List<String> rains) {
		long taken = 0;
		long takenCoins = 0;
		for (String rain : rains) {
			for (Object who : redis.opsForHash().values(RedisKeys.rainGrabs(Long.parseLong(rain)))) {
				taken++;
				takenCoins += Long.parseLong(who.toString().split(":")[1]);
			}
		}
		String credited = "SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM ledger_entries WHERE kind = 'RED_PACKET_GRAB' AND account = 'COINS' AND ref IN ("
				+ refs(rains) + ")";
		long expected = taken;
		Bench.await(120_000, () -> jdbc.queryForObject(credited, (row, n) -> row.getLong(1)) >= expected);
		long[] legs = jdbc.queryForObject(credited, (row, n) -> new long[] { row.getLong(1), row.getLong(2) });
		return taken + " / " + legs[0] + " / " + (legs[1] - takenCoins);
	}

	private static String refs(List<String> rains) {
		return String.join(",", rains.stream().map(rain -> "'rain:" + rain + "'").toList());
	}

	/**
	 * Units the stored HELD orders hold, units Redis says are held (stock − left), and
	 * how far either exceeds the stock.
	 */
	private static String units(JdbcTemplate jdbc, StringRedisTemplate redis, String goods) {
		long stored = jdbc.queryForObject(
				"SELECT COALESCE(SUM(l.quantity), 0) FROM sale_order_lines l JOIN sale_orders o ON o.id = l.order_id"
						+ " WHERE l.goods_id = ? AND o.status = 0",
				Long.class, Long.parseLong(goods));
		Object left = redis.opsForHash().get(RedisKeys.goodsStock(Long.parseLong(goods)), "left");
		long inRedis = STOCK - Long.parseLong(String.valueOf(left));
		return stored + " / " + inRedis + " / " + Math.max(0, Math.max(stored, inRedis) - STOCK);
	}

	/**
	 * The platform's grab script, run bare on keys of its own (an open window, packets
	 * enough, no per-user limit in reach).
	 */
	private double bareGrabScript() throws Exception {
		RedisScript<?> script = script(Rains.class, "GRAB");
		long rain = -ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
		List<String> keys = List.of(RedisKeys.rainState(rain), RedisKeys.rainPackets(rain), RedisKeys.rainTakers(rain),
				RedisKeys.rainGrabs(rain));
		StringRedisTemplate redis = this.bench.redis();
		redis.opsForHash().put(keys.get(0), "ends", Long.toString(Long.MAX_VALUE / 2));
		byte[] list = Fixture.bytes(keys.get(1));
		for (int from = 0; from < 400_000; from += 10_000) {
			int start = from;
			redis.executePipelined((RedisCallback<Object>) c -> {
				byte[][] packets = new byte[10_000][];
				for (int i = 0; i < packets.length; i++) {
					packets[i] = Fixture.bytes((start + i) + ":10");
				}
				c.listCommands().rPush(list, packets);
				return null;
			});
		}
		try {
			return bare(n -> redis.execute(script, keys, Long.toString(n % 100_000), "1000000000",
					Long.toString(System.currentTimeMillis())));
		}
		finally {
			redis.delete(keys);
		}
	}

	/**
	 * The platform's hold script, run bare on a stock hash of its own (stock and limit
	 * out of reach), one hold per call.
	 */
	private double bareHoldScript() throws Exception {
		RedisScript<?> script = script(Class.forName("dev.feedplatform.economy.sale.Stock"), "HOLD");
		String key = RedisKeys.goodsStock(-ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE));
		StringRedisTemplate redis = this.bench.redis();
		redis.opsForHash()
			.putAll(key, java.util.Map.of("loaded", "bench", "left", "1000000000", "limit", "1000000000"));
		try {
			return bare(n -> redis.execute(script, List.of(key), "hold:" + (n % 1000) + ":" + n, "buyer:" + (n % 1000),
					"1"));
		}
		finally {
			redis.delete(key);
		}
	}

	private static RedisScript<?> script(Class<?> owner, String name) throws ReflectiveOperationException {
		Field field = owner.getDeclaredField(name);
		field.setAccessible(true);
		return (RedisScript<?>) field.get(null);
	}

	/**
	 * Calls per second of {@code call} from {@value HttpLoad#CLIENTS} virtual threads
	 * over 5 s (after 2 s of warm-up).
	 */
	private static double bare(java.util.function.LongConsumer call) throws InterruptedException {
		LongAdder done = new LongAdder();
		java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
		AtomicBoolean counting = new AtomicBoolean(false);
		AtomicBoolean running = new AtomicBoolean(true);
		List<Thread> threads = new ArrayList<>();
		for (int c = 0; c < HttpLoad.CLIENTS; c++) {
			threads.add(Thread.ofVirtual().start(() -> {
				while (running.get()) {
					call.accept(sequence.getAndIncrement());
					if (counting.get()) {
						done.increment();
					}
				}
			}));
		}
		Thread.sleep(2_000);
		counting.set(true);
		long start = System.nanoTime();
		Thread.sleep(5_000);
		long counted = done.sum();
		double seconds = (System.nanoTime() - start) / 1e9;
		running.set(false);
		for (Thread thread : threads) {
			thread.join();
		}
		return counted / seconds;
	}

	/**
	 * This run's rains, grants, goods, orders and stock key (the fixture removes its
	 * users, wallets and their ledger legs).
	 */
	private static void cleanUp(JdbcTemplate jdbc, StringRedisTemplate redis, long anchor, String goods,
			List<String> rains) {
		String in = String.join(",", rains);
		jdbc.update("DELETE FROM ledger_entries WHERE ref IN (" + refs(rains) + ")");
		jdbc.update("DELETE FROM red_packet_grabs WHERE rain_id IN (" + in + ")");
		jdbc.update("DELETE FROM red_packet_rains WHERE id IN (" + in + ")");
		jdbc.update("DELETE FROM red_packet_grants WHERE user_id = ?", anchor);
		long item = Long.parseLong(goods);
		jdbc.update("DELETE FROM sale_order_lines WHERE goods_id = ?", item);
		jdbc.update("DELETE FROM sale_orders WHERE seller_id = ?", anchor);
		jdbc.update("DELETE FROM room_shelves WHERE goods_id = ?", item);
		jdbc.update("DELETE FROM goods WHERE id = ?", item);
		redis.delete(RedisKeys.goodsStock(item));
		for (String rain : rains) {
			long id = Long.parseLong(rain);
			redis.delete(List.of(RedisKeys.rainState(id), RedisKeys.rainPackets(id), RedisKeys.rainTakers(id),
					RedisKeys.rainGrabs(id)));
		}
	}

}
