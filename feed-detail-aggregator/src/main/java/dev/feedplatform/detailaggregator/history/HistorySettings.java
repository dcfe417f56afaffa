package dev.feedplatform.detailaggregator.history;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * View history (issue 19).
 *
 * @param historyCap posts kept per user, newest opens first
 * ({@code FEED_DETAIL_HISTORY_CAP})
 * @param historyFlush how often a node writes the opens it gathered (one upsert for all
 * of them)
 */
@ConfigurationProperties("feed.detail")
record HistorySettings(@DefaultValue("500") int historyCap, @DefaultValue("500ms") Duration historyFlush) {
}
