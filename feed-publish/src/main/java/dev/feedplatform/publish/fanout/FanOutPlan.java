package dev.feedplatform.publish.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.feedplatform.runtime.messaging.EventJson;
import dev.feedplatform.publish.events.FanOutBatch;
import dev.feedplatform.publish.events.PostPublished;

/**
 * The batching half of {@link FanOut#plan}, kept free of Redis, MariaDB and the broker so
 * {@code FanOutPlanTests} can check it: a post's active fans, one follower range at a
 * time, become keyed {@link FanOutBatch} messages of at most {@code batch-size} fans
 * each, hot and occasional fans (issue 19) never in one batch. One instance per plan; not
 * thread-safe.
 */
final class FanOutPlan {

	private final PostPublished event;

	private final int batchSize;

	private final long activeSince;

	private final long hotSince;

	private final List<Long> hot;

	private final List<Long> occasional;

	/**
	 * A plan for {@code event} as of {@code nowMs} (epoch ms, the planner's clock), for
	 * inboxes that stay live {@code inboxLive} without reads.
	 */
	FanOutPlan(PostPublished event, FanOutSettings settings, Duration inboxLive, long nowMs) {
		this.event = event;
		this.batchSize = settings.batchSize();
		this.activeSince = nowMs - activeWindow(inboxLive).toMillis();
		this.hotSince = nowMs - settings.hotWithin().toMillis();
		this.hot = new ArrayList<>(this.batchSize);
		this.occasional = new ArrayList<>(this.batchSize);
	}

	/**
	 * A day of slack over the inbox's life without reads: a live inbox always belongs to
	 * a fan the planner counts as active.
	 */
	static Duration activeWindow(Duration inboxLive) {
		return inboxLive.plusDays(1);
	}

	/**
	 * Epoch ms: a fan last seen at or after it is active, the bound the planner asks the
	 * activity index for.
	 */
	long activeSince() {
		return this.activeSince;
	}

	/**
	 * One range's active fans, fan id &rarr; last seen (epoch ms) in follower-id order,
	 * as {@code ActiveUsers.lastSeenAmong} answers: the batches they filled, as message
	 * key &rarr; encoded {@link FanOutBatch}. A fan seen at or after
	 * {@code now - hot-within} is hot (full inbox), any other occasional; part-filled
	 * batches carry over to the next range.
	 */
	List<Map.Entry<String, String>> add(Map<Long, Long> lastSeen) {
		List<Map.Entry<String, String>> full = new ArrayList<>();
		for (Map.Entry<Long, Long> fan : lastSeen.entrySet()) {
			boolean isHot = fan.getValue() >= this.hotSince;
			List<Long> batch = isHot ? this.hot : this.occasional;
			batch.add(fan.getKey());
			if (batch.size() == this.batchSize) {
				full.add(batch(this.event, ids(batch), !isHot));
				batch.clear();
			}
		}
		return full;
	}

	/** After the last range: the part-filled batches, hot then occasional, none empty. */
	List<Map.Entry<String, String>> finish() {
		List<Map.Entry<String, String>> rest = new ArrayList<>(2);
		if (!this.hot.isEmpty()) {
			rest.add(batch(this.event, ids(this.hot), false));
			this.hot.clear();
		}
		if (!this.occasional.isEmpty()) {
			rest.add(batch(this.event, ids(this.occasional), true));
			this.occasional.clear();
		}
		return rest;
	}

	/**
	 * A big account's post to its core fans: ascending ids (a redelivered plan sends the
	 * same batches under the same keys) in batches of {@code batchSize}, none occasional
	 * (core fans are the most active by construction: full inboxes).
	 */
	static List<Map.Entry<String, String>> coreBatches(PostPublished event, long[] core, int batchSize) {
		long[] sorted = core.clone();
		Arrays.sort(sorted);
		List<Map.Entry<String, String>> batches = new ArrayList<>();
		for (int from = 0; from < sorted.length; from += batchSize) {
			batches
				.add(batch(event, Arrays.copyOfRange(sorted, from, Math.min(sorted.length, from + batchSize)), false));
		}
		return batches;
	}

	private static long[] ids(List<Long> fans) {
		return fans.stream().mapToLong(Long::longValue).toArray();
	}

	/**
	 * Keyed {@code postId-lastFanId}: the same fans of the same post get the same key on
	 * a redelivered plan.
	 */
	private static Map.Entry<String, String> batch(PostPublished event, long[] ids, boolean occasional) {
		return Map.entry(event.postId() + "-" + ids[ids.length - 1], EventJson
			.encode(new FanOutBatch(event.postId(), event.authorId(), event.createdAtMs(), ids, occasional)));
	}

}
