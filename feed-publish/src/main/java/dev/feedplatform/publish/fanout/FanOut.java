package dev.feedplatform.publish.fanout;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.feedplatform.runtime.messaging.EventJson;
import dev.feedplatform.publish.events.FanOutBatch;
import dev.feedplatform.publish.events.PostPublished;
import dev.feedplatform.publish.outbox.Outboxes;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.runtime.ports.ActiveUsers;
import dev.feedplatform.runtime.ports.SocialGraph;
import dev.feedplatform.runtime.ports.HomeInboxes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.feedplatform.runtime.messaging.Deliveries;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.springframework.stereotype.Component;

/**
 * Push fan-out in two stages, both RocketMQ consumers so the work spreads over every
 * instance and survives any one of them dying: {@link #plan} turns a
 * {@link PostPublished} into {@link FanOutBatch}es of <em>active</em> fans (range scans
 * of the follower index, one ZMSCORE each, through the user module's
 * {@link ActiveUsers}); {@link #deliver} pushes one batch into inboxes with a single
 * pipelined round trip. A failure answers RECONSUME_LATER, so the broker redelivers;
 * redelivery is harmless.
 */
@Component
public class FanOut {

	/** Fans read per index range scan while planning. */
	static final int SCAN = 5_000;

	private final FollowerScan followers;

	private final CoreFans coreFans;

	private final HomeInboxes inboxes;

	private final Outboxes outboxes;

	private final SocialGraph graph;

	private final RocketMq rocketMq;

	private final FanOutSettings settings;

	private final Clock clock;

	private final ActiveUsers activeUsers;

	private final Timer lag;

	private final Counter inboxWrites;

	FanOut(FollowerScan followers, CoreFans coreFans, HomeInboxes inboxes, Outboxes outboxes, SocialGraph graph,
			RocketMq rocketMq, FanOutSettings settings, Clock clock, ActiveUsers activeUsers, MeterRegistry meters) {
		this.activeUsers = activeUsers;
		this.followers = followers;
		this.coreFans = coreFans;
		this.inboxes = inboxes;
		this.outboxes = outboxes;
		this.graph = graph;
		this.rocketMq = rocketMq;
		this.settings = settings;
		this.clock = clock;
		this.lag = Timer.builder("feed.fanout.lag")
			.description("post creation to inbox write, per batch")
			.register(meters);
		this.inboxWrites = Counter.builder("feed.fanout.inbox.writes")
			.description("inboxes a post was pushed into")
			.register(meters);
	}

	/**
	 * Stage 1: which active fans get the post, in batches. Fans are read in large index
	 * ranges (one range scan and one ZMSCORE per {@link #SCAN} fans), and the batches of
	 * each range are sent together, acknowledged as a set: planning a 20,000-fan post
	 * takes a handful of round trips, not one per batch. A failure redelivers the whole
	 * plan; delivery is idempotent. The batching itself is {@link FanOutPlan}'s.
	 */
	void plan(PostPublished event) {
		// idempotent; heals a crash between insert and outbox
		this.outboxes.add(event.authorId(), event.postId());
		if (event.bigAuthor() || this.graph.isBig(event.authorId())) {
			// idempotent, likewise
			this.outboxes.markLatest(event.authorId(), event.postId());
			pushToCoreFans(event); // the rest pull it at read time
			return;
		}
		FanOutPlan plan = new FanOutPlan(event, this.settings, this.inboxes.liveWithoutReads(), this.clock.millis());
		int scan = Math.max(SCAN, this.settings.batchSize());
		long after = 0;
		while (true) {
			List<Long> fans = this.followers.after(event.authorId(), after, scan);
			List<Map.Entry<String, String>> batches = new ArrayList<>();
			if (!fans.isEmpty()) {
				after = fans.get(fans.size() - 1);
				// Inbox size follows activity (issue 19): the last-active times read here
				// to pick the
				// active fans also split them into hot and occasional batches.
				batches.addAll(plan.add(this.activeUsers.lastSeenAmong(fans, plan.activeSince())));
			}
			boolean last = fans.size() < scan;
			if (last) {
				batches.addAll(plan.finish());
			}
			this.rocketMq.sendAll(FanOutBatch.TOPIC, batches);
			if (last) {
				return;
			}
		}
	}

	/**
	 * A big account's post goes to its core fans only (tiered, {@link CoreFans}): they
	 * are the most active followers by construction, so no activity check. The set read
	 * here is the one the readers' records are written against (see {@link CoreFans} for
	 * why none is missed).
	 */
	private void pushToCoreFans(PostPublished event) {
		this.coreFans.refreshIfDue(event.authorId());
		this.rocketMq.sendAll(FanOutBatch.TOPIC,
				FanOutPlan.coreBatches(event, this.coreFans.members(event.authorId()), this.settings.batchSize()));
	}

	/**
	 * Stage 2: one pipelined write of a batch, through the inbox's owner. Inbox size
	 * follows activity (issue 19): a batch of occasional readers (not seen within
	 * {@code hot-within}, decided by the planner) is trimmed to the owner's smaller cap.
	 */
	void deliver(FanOutBatch batch) {
		int written = this.inboxes.push(batch.postId(), batch.fans(), batch.occasional());
		this.inboxWrites.increment(written);
		this.lag.record(java.time.Duration.ofMillis(Math.max(0, this.clock.millis() - batch.createdAtMs())));
	}

	MessageListenerConcurrently planner() {
		return Deliveries.each("fan-out planning", EventJson.reader(PostPublished.class, PostPublished::fromText),
				this::plan);
	}

	MessageListenerConcurrently worker() {
		return Deliveries.each("fan-out delivery", EventJson.reader(FanOutBatch.class, FanOutBatch::fromText),
				this::deliver);
	}

}
