package dev.feedplatform.counterserver;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code counter_batches} only has to remember a batch while the broker could still
 * deliver it again: RocketMQ keeps messages 72 h by default and a consumer's retries end
 * within hours. Rows older than {@code feed.counters.batch-retention} (7 days) are
 * deleted every hour, in chunks, so no transaction holds many row locks against the
 * appliers' inserts. Every instance may run it: deleting rows that old is idempotent. The
 * cut-off is the database's clock, the one that stamped {@code applied_at}.
 */
@Component
public class CounterBatchPruner {

	private static final Logger log = LoggerFactory.getLogger(CounterBatchPruner.class);

	static final int CHUNK = 5_000;

	private final CounterMapper counters;

	private final CounterSettings settings;

	CounterBatchPruner(CounterMapper counters, CounterSettings settings) {
		this.counters = counters;
		this.settings = settings;
	}

	/** Deletes the batch ids applied before the retention; returns how many. */
	@Scheduled(fixedDelayString = "${feed.counters.batch-prune-interval-ms:3600000}",
			initialDelayString = "${feed.counters.batch-prune-interval-ms:3600000}")
	public int prune() {
		long seconds = this.settings.batchRetention().toSeconds();
		int total = 0;
		int deleted;
		do {
			deleted = this.counters.pruneBatches(seconds, CHUNK);
			total += deleted;
		}
		while (deleted == CHUNK);
		if (total > 0) {
			log.info("pruned {} applied counter batch ids older than {}", total, this.settings.batchRetention());
		}
		return total;
	}

}
