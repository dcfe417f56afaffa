package dev.feedplatform.liveroombridge.barrage;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Barrage settings ({@code feed.barrage.*}).
 *
 * @param maxChars longest barrage text (API.md: 100)
 * @param roomRate barrage per second a room takes in full, across all nodes, unless the
 * room was opened with its own {@code rate}
 * @param sampleKeep share of barrage kept once a room is over its rate (the rest is
 * sampled out instead of queueing without bound), unless the room has its own
 * {@code sample_keep}
 * @param poolSize items kept per pool (oldest trimmed)
 * @param flushInterval longest a barrage waits on a node before it is pushed, merged with
 * others
 * @param flushItems a room's batch on a node is pushed at once when it reaches this many
 * items
 * @param framesFlushInterval longest a room's other frames (gifts, PK scores) wait on a
 * node to be pushed together; the first after a quiet spell goes at once. One push is one
 * write per viewer, so this bounds a busy room's writes to a viewer, however many gifts
 * it gets
 * @param replayMaxWindow widest replay window
 * @param replayMaxItems most items one replay answers
 * @param routerGroup RocketMQ consumer group of the barrage router. Orderly consumption
 * locks a queue to one consumer on the broker; locks of a consumer killed with SIGKILL
 * expire only after 60 s, so a separate group isolates e.g. a test run from crashed
 * instances
 */
@ConfigurationProperties("feed.barrage")
public record BarrageSettings(@DefaultValue("100") int maxChars, @DefaultValue("200") int roomRate,
		@DefaultValue("0.1") double sampleKeep, @DefaultValue("10000") int poolSize,
		@DefaultValue("100ms") Duration flushInterval, @DefaultValue("64") int flushItems,
		@DefaultValue("50ms") Duration framesFlushInterval, @DefaultValue("1h") Duration replayMaxWindow,
		@DefaultValue("1000") int replayMaxItems, @DefaultValue("feed-barrage-router") String routerGroup) {
}
