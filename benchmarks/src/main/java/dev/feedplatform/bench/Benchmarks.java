package dev.feedplatform.bench;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.feedplatform.common.auth.TokenCodec;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Runs the benchmark suite:
 * {@code bin/bench [fanout publish delivery timeline memory counters detail live search im gifts flash big broker]}
 * (all by default). Starts the platform in this JVM on a free port against the project's
 * infrastructure, seeds what each benchmark needs, prints each figure with its same-run
 * baseline and ratio, writes the table to {@code benchmarks/target/bench-report.md}, and
 * removes what it seeded.
 */
public final class Benchmarks {

	private static final List<String> ALL = List.of("fanout", "publish", "delivery", "timeline", "memory", "counters",
			"detail", "live", "search", "im", "gifts", "flash", "big", "broker");

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		Set<String> chosen = args.length == 0 ? Set.copyOf(ALL) : Set.of(args);
		for (String name : chosen) {
			if (!ALL.contains(name)) {
				System.err.println("unknown benchmark " + name + "; choose from " + ALL);
				System.exit(2);
			}
		}
		// Before the platform starts: how busy the machine already is (its
		// infrastructure, anything else).
		double idle = ProcessCpu.machineIdle(3_000);
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("feed.gateway.port", "0");
		properties.put("spring.flyway.enabled", "true");
		properties.put("spring.main.banner-mode", "off");
		properties.put("logging.level.root", "WARN");
		properties.put("feed.auth.token-secret", "benchmark-secret-benchmark-secret-0123456789");
		// The fan-out figures are about pushing to 20,000 fans: keep those creators below
		// the big-account threshold.
		properties.put("feed.big-account-threshold", "1000000");
		// Chat load comes from a few hundred devices sending far faster than a person:
		// lift the per-user
		// send rate and the per-connection frame rate (both still enforced, far above the
		// load).
		properties.put("feed.im.send-rate", "100000");
		properties.put("feed.gateway.frames-per-second", "5000");
		properties.put("feed.gateway.burst", "5000");
		// Gift senders send back to back (the per-user gift rate is still enforced, far
		// above the load).
		properties.put("feed.economy.gift-rate", "1000000");
		// Pre-orders likewise: 32 clients click as fast as answers come, over 256 users.
		properties.put("feed.economy.order-rate", "1000000");
		properties.put("feed.economy.payment.provider", "demo");
		// Topics and consumer groups of their own: a platform running beside the
		// benchmarks (bin/platform
		// up) shares the broker, and its consumers would otherwise take the benchmark's
		// messages.
		properties.put("feed.rocketmq.namespace", "bench");
		// The same for search: a Canal destination of its own (its own binlog cursor and
		// sync lease) and
		// an index of its own, so its sync neither waits for nor takes over a running
		// platform's.
		properties.put("feed.search.destination", "bench");
		properties.put("feed.search.index", "bench-posts");
		// Only the search benchmark needs the binlog sync; elsewhere it would index every
		// seeded row
		// (and, on a first run, build its index) on the cores the other figures are
		// measured on.
		properties.put("feed.search.enabled", Boolean.toString(chosen.contains("search")));
		// The search benchmark waits for a fresh lag heartbeat (under 1.5 s old): beat as
		// often as before issue 22.
		properties.put("feed.search.heartbeat", "500ms");
		// A core fan skips pulling its big account only for posts minted this long after
		// it joined; the
		// big-account benchmark publishes right after the pick, so no margin (one node,
		// one clock).
		properties.put("feed.fanout.core-join-margin", "0s");
		// As command-line arguments: they must win over the platform defaults (which keep
		// Flyway off in modules).
		String[] arguments = properties.entrySet()
			.stream()
			.map(e -> "--" + e.getKey() + "=" + e.getValue())
			.toArray(String[]::new);
		ConfigurableApplicationContext context = new SpringApplication(BenchApplication.class).run(arguments);
		int exit = 0;
		Fixture fixture = new Fixture(context.getBean(JdbcTemplate.class), context.getBean(StringRedisTemplate.class),
				context.getBean(LeasedIdGenerator.class), context.getBean(TokenCodec.class));
		Report report = new Report();
		Bench bench = new Bench(context,
				new Http(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class)), fixture,
				report);
		try {
			long[][] fanOut = null;
			if (chosen.contains("fanout") || chosen.contains("publish")) {
				fanOut = new FanOutBench(bench).run();
			}
			if (chosen.contains("publish")) {
				new PublishLatencyBench(bench).run(fanOut[0][0]);
			}
			if (chosen.contains("delivery")) {
				new DeliveryBench(bench).run();
			}
			if (chosen.contains("timeline")) {
				new TimelineReadBench(bench).run();
			}
			if (chosen.contains("memory")) {
				new InboxMemoryBench(bench).run();
			}
			if (chosen.contains("counters")) {
				new CounterBench(bench).run();
			}
			if (chosen.contains("detail")) {
				new DetailBench(bench, arguments).run();
			}
			if (chosen.contains("live")) {
				new LiveRoomBench(bench).run();
			}
			if (chosen.contains("search")) {
				new SearchBench(bench).run();
			}
			if (chosen.contains("gifts")) {
				new GiftBench(bench).run();
			}
			if (chosen.contains("flash")) {
				new FlashBench(bench).run();
			}
			if (chosen.contains("big")) {
				new BigAccountBench(bench).run();
			}
			if (chosen.contains("im")) {
				new ImBench(bench).run();
			}
			if (chosen.contains("broker")) {
				new BrokerBench(bench).run();
			}
			String header = "Benchmarks of " + LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
					+ " on " + Runtime.getRuntime().availableProcessors() + " cores, Java "
					+ Runtime.version().feature() + "; machine idle before the run: "
					+ (Double.isNaN(idle) ? "unknown" : Math.round(idle * 100) + "% of its CPU (3 s)");
			Path file = Path.of(System.getProperty("feed.bench.report", "benchmarks/target/bench-report.md"));
			report.write(file, header);
			System.out.println();
			System.out.println(report.markdown(header));
		}
		catch (RuntimeException ex) {
			ex.printStackTrace();
			exit = 1;
		}
		finally {
			fixture.cleanUp();
			context.close();
		}
		System.exit(exit);
	}

}
