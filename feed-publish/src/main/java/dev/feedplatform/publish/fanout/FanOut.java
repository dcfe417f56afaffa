package dev.feedplatform.publish.fanout;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.feedplatform.common.events.FanOutBatch;
import dev.feedplatform.common.events.PostPublished;
import dev.feedplatform.publish.outbox.Outboxes;
import dev.feedplatform.publish.post.Posts;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.runtime.ports.ActiveUsers;
import dev.feedplatform.runtime.ports.HomeInboxes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.feedplatform.runtime.messaging.Deliveries;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.springframework.stereotype.Component;

/**
 * Push fan-out in two stages, both RocketMQ consumers so the work spreads over every instance and
 * survives any one of them dying: {@link #plan} turns a {@link PostPublished} into
 * {@link FanOutBatch}es of <em>active</em> fans (range scans of the follower index, one ZMSCORE each, through the user module's {@link ActiveUsers}); {@link #deliver} pushes one batch into inboxes with a single pipelined round
 * trip. A failure answers RECONSUME_LATER, so the broker redelivers; redelivery is harmless.
 */
@Component
public class FanOut {

	/** Fans read per index range scan while planning. */
	static final int SCAN = 5_000;

	private final FollowerScan followers;

	private final CoreFans coreFans;

	private final HomeInboxes inboxes;

	private final Outboxes outboxes;

	private final Posts posts;

	private final RocketMq rocketMq;

	private final FanOutSettings settings;

	private final Clock clock;

	private final ActiveUsers activeUsers;

	private final Timer lag;

	private final Counter inboxWrites;

	FanOut(FollowerScan followers, CoreFans coreFans, HomeInboxes inboxes, Outboxes outboxes, Posts posts, RocketMq rocketMq,
			FanOutSettings settings, Clock clock, ActiveUsers activeUsers, MeterRegistry meters) {
		this.activeUsers = activeUsers;
		this.followers = followers;
		this.coreFans = coreFans;
		this.inboxes = inboxes;
		this.outboxes = outboxes;
		this.posts = posts;
		this.rocketMq = rocketMq;
		this.settings = settings;
		this.clock = clock;
		this.lag = Timer.builder("feed.fanout.lag").description("post creation to inbox write, per batch").register(meters);
		this.inboxWrites = Counter.builder("feed.fanout.inbox.writes").description("inboxes a post was pushed into").register(meters);
	}

	/**
	 * Stage 1: which active fans get the post, in batches. Fans are read in large index ranges (one
	 * range scan and one ZMSCORE per {@link #SCAN} fans), and the batches of each range are sent
	 * together, acknowledged as a set: planning a 20,000-fan post takes a handful of round trips,
	 * not one per batch. A failure redelivers the whole plan; delivery is idempotent.
	 */
	void plan(PostPublished event) {
		this.outboxes.add(event.authorId(), event.postId()); // idempotent; heals a crash between insert and outbox
		if (event.bigAuthor() || this.posts.isBigAccount(event.authorId())) {
			this.outboxes.markLatest(event.authorId(), event.postId()); // idempotent, likewise
			pushToCoreFans(event); // the rest pull it at read time
			return;
		}
		long activeSince = this.clock.millis() - this.settings.activeWindow().toMillis();
		long hotSince = this.clock.millis() - this.settings.hotWithin().toMillis();
		int batchSize = this.settings.batchSize();
		int scan = Math.max(SCAN, batchSize);
		List<Long> hot = new ArrayList<>(batchSize);
		List<Long> occasional = new ArrayList<>(batchSize);
		List<Map.Entry<String, String>> batches = new ArrayList<>();
		long after = 0;
		while (true) {
			List<Long> fans = this.followers.after(event.authorId(), after, scan);
			if (!fans.isEmpty()) {
				after = fans.get(fans.size() - 1);
				// Inbox size follows activity (issue 19): the last-active times read here to pick the
				// active fans also split them into hot and occasional batches.
				for (Map.Entry<Long, Long> fan : this.activeUsers.lastSeenAmong(fans, activeSince).entrySet()) {
					boolean isHot = fan.getValue() >= hotSince;
					List<Long> batch = isHot ? hot : occasional;
					batch.add(fan.getKey());
					if (batch.size() == batchSize) {
						batches.add(batch(event, ids(batch), !isHot));
						batch.clear();
					}
				}
			}
			boolean last = fans.size() < scan;
			if (last) {
				if (!hot.isEmpty()) {
					batches.add(batch(event, ids(hot), false));
				}
				if (!occasional.isEmpty()) {
					batches.add(batch(event, ids(occasional), true));
				}
			}
			this.rocketMq.sendAll(FanOutBatch.TOPIC, batches);
			batches.clear();
			if (last) {
				return;
			}
		}
	}

	/**
	 * A big account's post goes to its core fans only (tiered, {@link CoreFans}): they are the most
	 * active followers by construction, so no activity check. The set read here is the one the
	 * readers' records are written against (see {@link CoreFans} for why none is missed).
	 */
	private void pushToCoreFans(PostPublished event) {
		this.coreFans.refreshIfDue(event.authorId());
		long[] core = this.coreFans.members(event.authorId());
		java.util.Arrays.sort(core); // a redelivered plan sends the same batches under the same keys
		List<Map.Entry<String, String>> batches = new ArrayList<>();
		for (int from = 0; from < core.length; from += this.settings.batchSize()) {
			// Core fans are the most active by construction: full inboxes.
			batches.add(batch(event, java.util.Arrays.copyOfRange(core, from, Math.min(core.length, from + this.settings.batchSize())), false));
		}
		this.rocketMq.sendAll(FanOutBatch.TOPIC, batches);
	}

	private static long[] ids(List<Long> fans) {
		return fans.stream().mapToLong(Long::longValue).toArray();
	}

	private static Map.Entry<String, String> batch(PostPublished event, long[] ids, boolean occasional) {
		return Map.entry(event.postId() + "-" + ids[ids.length - 1],
				new FanOutBatch(event.postId(), event.authorId(), event.createdAtMs(), ids, occasional).encode());
	}

	/**
	 * Stage 2: one pipelined write of a batch, through the inbox's owner. Inbox size follows activity
	 * (issue 19): a batch of occasional readers (not seen within {@code hot-within}, decided by the
	 * planner) is trimmed to the owner's smaller cap.
	 */
	void deliver(FanOutBatch batch) {
		int written = this.inboxes.push(batch.postId(), batch.fans(), batch.occasional());
		this.inboxWrites.increment(written);
		this.lag.record(java.time.Duration.ofMillis(Math.max(0, this.clock.millis() - batch.createdAtMs())));
	}

	MessageListenerConcurrently planner() {
		return Deliveries.each("fan-out planning", message -> PostPublished.decode(Deliveries.text(message)), this::plan);
	}

	MessageListenerConcurrently worker() {
		return Deliveries.each("fan-out delivery", message -> FanOutBatch.decode(Deliveries.text(message)), this::deliver);
	}

}
