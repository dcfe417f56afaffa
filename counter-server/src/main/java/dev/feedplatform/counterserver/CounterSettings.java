package dev.feedplatform.counterserver;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Counter settings ({@code feed.counters.*}).
 *
 * @param window how long the first increment of a window waits for others before their
 * batch goes to the broker (the group commit's linger); an acknowledged increment waits
 * about this plus one send. Longer merges more per message (fewer Redis and row writes
 * per increment at a spread load), shorter answers sooner
 * @param readCacheTtl how long a count may be served from the in-process tier; with the
 * window and the apply step it bounds how stale a read can be (about 1 s by default)
 * @param applyThreads consumer threads applying delta batches, per instance
 * @param reconcileIntervalMs how often one instance reconciles a chunk of like/favorite
 * counts against their rows (see {@code ReactionReconciler})
 * @param reconcileQuiet how long a disagreeing post must stay unchanged before its count
 * is corrected (longer than any delta takes to be applied)
 * @param reconcileChunk posts looked at per reconciliation step
 * @param batchRetention how long an applied batch's id is kept to recognise a redelivery;
 * must outlive the broker's message retention (72 h by default) and the consumer's
 * retries
 */
@ConfigurationProperties("feed.counters")
public record CounterSettings(@DefaultValue("5ms") Duration window, @DefaultValue("500ms") Duration readCacheTtl,
		@DefaultValue("2") int applyThreads, @DefaultValue("7d") Duration batchRetention,
		@DefaultValue("60000") long reconcileIntervalMs, @DefaultValue("2m") Duration reconcileQuiet,
		@DefaultValue("500") int reconcileChunk) {
}
