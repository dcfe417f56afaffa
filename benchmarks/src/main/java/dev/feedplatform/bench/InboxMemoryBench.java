package dev.feedplatform.bench;

import java.util.List;
import java.util.Properties;

import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Redis bytes per inbox at the cap (800 post ids), as {@code MEMORY USAGE} reports it, for the
 * encoding the project's Redis runs with. Ids are real generator ids (16 digits).
 */
final class InboxMemoryBench {

	private static final int CAP = 800;

	private static final RedisScript<Long> MEMORY_USAGE = RedisScript.of("return redis.call('MEMORY', 'USAGE', KEYS[1], 'SAMPLES', 0)", Long.class);

	private static final RedisScript<String> ENCODING = RedisScript.of("return redis.call('OBJECT', 'ENCODING', KEYS[1])", String.class);

	private final Bench bench;

	InboxMemoryBench(Bench bench) {
		this.bench = bench;
	}

	void run() {
		Fixture fixture = this.bench.fixture();
		long user = fixture.users("memory-reader", 1)[0];
		String key = RedisKeys.inbox(user);
		byte[] raw = Fixture.bytes(key);
		this.bench.redis().executePipelined((RedisCallback<Object>) c -> {
			for (int i = 0; i < CAP; i++) {
				long id = fixture.nextId();
				c.zSetCommands().zAdd(raw, id, Fixture.bytes(Long.toString(id)));
			}
			return null;
		});
		Long bytes = this.bench.redis().execute(MEMORY_USAGE, List.of(key));
		String encoding = this.bench.redis().execute(ENCODING, List.of(key));
		Properties config = this.bench.redis().execute((RedisCallback<Properties>) c -> c.serverCommands().getConfig("zset-max-listpack-entries"));
		String listpackMax = config == null ? "?" : String.valueOf(config.getProperty("zset-max-listpack-entries"));
		Report report = this.bench.report();
		report.add("memory", "Redis bytes per inbox at the cap of 800 (" + encoding.toLowerCase() + ", zset-max-listpack-entries " + listpackMax + ")",
				Report.num(bytes == null ? Double.NaN : bytes, "B"), "", "", "");
		report.add("memory", "bytes per inbox entry; 1M live inboxes at the cap",
				Report.num(bytes == null ? Double.NaN : bytes / (double) CAP, "B") + "; "
						+ Report.num(bytes == null ? Double.NaN : bytes * 1_000_000.0 / (1L << 30), "GiB"), "", "", "");
		this.bench.redis().delete(key);
	}

}
