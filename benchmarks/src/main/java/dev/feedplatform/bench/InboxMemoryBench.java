package dev.feedplatform.bench;

import java.util.List;
import java.util.Properties;

import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Redis bytes per inbox at the cap (800 post ids), as {@code MEMORY USAGE} reports it,
 * for the encoding the project's Redis runs with and, in the same run, for the other one.
 * Ids are real generator ids (16 digits).
 */
final class InboxMemoryBench {

	private static final int CAP = 800;

	/**
	 * An occasional reader's cap (feed.fanout.occasional-inbox-cap; issue 19: inbox size
	 * follows activity).
	 */
	private static final int OCCASIONAL_CAP = 200;

	private static final RedisScript<Long> MEMORY_USAGE = RedisScript
		.of("return redis.call('MEMORY', 'USAGE', KEYS[1], 'SAMPLES', 0)", Long.class);

	private static final RedisScript<String> ENCODING = RedisScript
		.of("return redis.call('OBJECT', 'ENCODING', KEYS[1])", String.class);

	private final Bench bench;

	InboxMemoryBench(Bench bench) {
		this.bench = bench;
	}

	void run() {
		Fixture fixture = this.bench.fixture();
		long user = fixture.users("memory-reader", 1)[0];
		String configured = listpackMax();
		Measured asConfigured = measure(fixture, RedisKeys.inbox(user), CAP);
		Measured occasional = measure(fixture, RedisKeys.inbox(user), OCCASIONAL_CAP);
		// The same inbox under the other encoding, for comparison in the same run; then
		// restore.
		String other = Integer.parseInt(configured) >= CAP ? "128" : "1024";
		setListpackMax(other);
		Measured alternative;
		try {
			alternative = measure(fixture, RedisKeys.inbox(user) + "-alt", CAP);
		}
		finally {
			setListpackMax(configured);
		}
		Report report = this.bench.report();
		report.add("memory",
				"Redis bytes per inbox at the cap of 800: " + asConfigured.encoding + " (zset-max-listpack-entries "
						+ configured + ") vs " + alternative.encoding + " (" + other + ")",
				Report.num(asConfigured.bytes, "B"), Report.num(alternative.bytes, "B"),
				Report.ratio(asConfigured.bytes / (double) alternative.bytes), "");
		report.add("memory", "1M live inboxes at the cap",
				Report.num(asConfigured.bytes * 1_000_000.0 / (1L << 30), "GiB"),
				Report.num(alternative.bytes * 1_000_000.0 / (1L << 30), "GiB"), "", "");
		report.add("memory",
				"Redis bytes per inbox of an occasional reader (cap " + OCCASIONAL_CAP + ") vs a daily one (cap " + CAP
						+ ")",
				Report.num(occasional.bytes, "B"), Report.num(asConfigured.bytes, "B"),
				Report.ratio(occasional.bytes / (double) asConfigured.bytes), "");
	}

	private record Measured(long bytes, String encoding) {
	}

	private Measured measure(Fixture fixture, String key, int entries) {
		byte[] raw = Fixture.bytes(key);
		this.bench.redis().executePipelined((RedisCallback<Object>) c -> {
			for (int i = 0; i < entries; i++) {
				long id = fixture.nextId();
				c.zSetCommands().zAdd(raw, id, Fixture.bytes(Long.toString(id)));
			}
			return null;
		});
		Long bytes = this.bench.redis().execute(MEMORY_USAGE, List.of(key));
		String encoding = this.bench.redis().execute(ENCODING, List.of(key));
		this.bench.redis().delete(key);
		return new Measured(bytes == null ? -1 : bytes, encoding);
	}

	private String listpackMax() {
		Properties config = this.bench.redis()
			.execute((RedisCallback<Properties>) c -> c.serverCommands().getConfig("zset-max-listpack-entries"));
		return config == null ? "128" : config.getProperty("zset-max-listpack-entries", "128");
	}

	private void setListpackMax(String value) {
		this.bench.redis().execute((RedisCallback<Object>) c -> {
			c.serverCommands().setConfig("zset-max-listpack-entries", value);
			return null;
		});
	}

}
