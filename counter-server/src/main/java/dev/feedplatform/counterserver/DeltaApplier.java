package dev.feedplatform.counterserver;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.feedplatform.runtime.messaging.EventJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.feedplatform.runtime.messaging.Deliveries;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The second merge: a consumer takes up to 32 delta batches at once, keeps those never
 * applied (their ids enter {@code counter_batches} in the same transaction as the totals,
 * so a redelivered batch adds nothing), sums them per post, and upserts the rows in
 * chunks of {@value #ROWS_PER_UPSERT}, in post id order so concurrent appliers can't
 * deadlock. After the commit the new totals are copied to Redis.
 */
@Component
class DeltaApplier {

	static final int MAX_BATCHES = 32;

	/**
	 * Rows per upsert statement. One apply may merge up to {@link #MAX_BATCHES} messages
	 * of up to 20,000 posts each; one statement for all of them could pass MariaDB's
	 * packet limit (16 MiB by default) and would stall the appliers on a retried batch. A
	 * thousand rows (about 40 KB) already cost one round trip per thousand.
	 */
	static final int ROWS_PER_UPSERT = 1_000;

	private final CounterMapper counters;

	private final TransactionTemplate transactions;

	private final CounterStore store;

	private final Clock clock;

	private final Timer lag;

	private final Counter applied;

	private final Counter databaseWrites;

	private final Counter redisWrites;

	DeltaApplier(CounterMapper counters, TransactionTemplate transactions, CounterStore store, Clock clock,
			MeterRegistry meters) {
		this.counters = counters;
		this.transactions = transactions;
		this.store = store;
		this.clock = clock;
		this.lag = Timer.builder("feed.counters.lag")
			.description("increment absorbed to total visible in Redis")
			.register(meters);
		this.applied = Counter.builder("feed.counters.applied")
			.description("increments applied to totals")
			.register(meters);
		this.databaseWrites = Counter.builder("feed.counters.writes.database")
			.description("post_counters rows upserted")
			.register(meters);
		this.redisWrites = Counter.builder("feed.counters.writes.redis")
			.description("Redis count copies written")
			.register(meters);
	}

	void apply(List<DeltaBatch> batches) {
		Map<Long, Totals> sums = this.transactions.execute(status -> {
			Map<Long, Totals> merged = new HashMap<>();
			for (DeltaBatch batch : batches) {
				if (this.counters.rememberBatch(batch.id()) == 0) {
					continue; // applied before: a redelivery
				}
				for (DeltaBatch.PostDelta delta : batch.deltas()) {
					merged.merge(delta.postId(), Totals.ZERO.plus(delta.counts()), Totals::plus);
				}
			}
			List<CounterMapper.Increment> increments = new ArrayList<>();
			for (Long post : CounterStore.sorted(merged.keySet())) {
				increments.add(new CounterMapper.Increment(post, merged.get(post)));
			}
			for (int from = 0; from < increments.size(); from += ROWS_PER_UPSERT) {
				// Sorted across chunks too: appliers lock rows in one order, no deadlock.
				this.counters.add(increments.subList(from, Math.min(increments.size(), from + ROWS_PER_UPSERT)));
			}
			return merged;
		});
		if (sums == null || sums.isEmpty()) {
			return;
		}
		this.applied.increment(sums.values().stream().mapToLong(Totals::magnitude).sum());
		this.databaseWrites.increment(sums.size());
		Map<Long, Totals.Versioned> totals = this.store.loadFromDatabase(sums.keySet());
		this.store.copyToRedis(totals);
		this.redisWrites.increment(totals.size());
		long now = this.clock.millis();
		for (DeltaBatch batch : batches) {
			this.lag.record(Duration.ofMillis(Math.max(0, now - batch.createdAtMs())));
		}
	}

	MessageListenerConcurrently listener() {
		return Deliveries.all("applying counter batches", EventJson.reader(DeltaBatch.class, DeltaBatch::fromText),
				this::apply);
	}

}
