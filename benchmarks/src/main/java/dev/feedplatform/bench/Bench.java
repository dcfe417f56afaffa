package dev.feedplatform.bench;

import java.util.function.BooleanSupplier;

import dev.feedplatform.common.keys.RedisKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * What every benchmark gets: the running platform, its HTTP port, the fixture and the
 * report.
 */
record Bench(ConfigurableApplicationContext context, Http http, Fixture fixture, Report report) {

	StringRedisTemplate redis() {
		return this.context.getBean(StringRedisTemplate.class);
	}

	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	/** Inboxes written by fan-out in this JVM so far (the platform's own metric). */
	double inboxWrites() {
		Counter counter = this.context.getBean(MeterRegistry.class).find("feed.fanout.inbox.writes").counter();
		return counter == null ? 0 : counter.count();
	}

	/**
	 * Waits until fan-out has been quiet for a while, so one benchmark's tail doesn't
	 * load the next.
	 */
	void awaitFanOutQuiet() {
		double before = -1;
		while (before != inboxWrites()) {
			before = inboxWrites();
			sleep(500);
		}
	}

	static boolean await(long timeoutMs, BooleanSupplier condition) {
		long deadline = System.currentTimeMillis() + timeoutMs;
		while (System.currentTimeMillis() < deadline) {
			if (condition.getAsBoolean()) {
				return true;
			}
			sleep(1);
		}
		return condition.getAsBoolean();
	}

	static void sleep(long ms, int nanos) {
		try {
			Thread.sleep(ms, nanos);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static void sleep(long ms) {
		try {
			Thread.sleep(ms);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Whether each user's inbox holds the post, in one pipelined round trip per chunk.
	 */
	boolean[] inboxesHold(long[] users, long postId) {
		boolean[] holds = new boolean[users.length];
		byte[] member = Fixture.bytes(Long.toString(postId));
		for (int from = 0; from < users.length; from += 2000) {
			int start = from;
			int end = Math.min(users.length, from + 2000);
			java.util.List<Object> scores = redis()
				.executePipelined((org.springframework.data.redis.core.RedisCallback<Object>) c -> {
					for (int i = start; i < end; i++) {
						c.zSetCommands().zScore(Fixture.bytes(RedisKeys.inbox(users[i])), member);
					}
					return null;
				});
			for (int i = start; i < end; i++) {
				holds[i] = scores.get(i - start) != null;
			}
		}
		return holds;
	}

}
