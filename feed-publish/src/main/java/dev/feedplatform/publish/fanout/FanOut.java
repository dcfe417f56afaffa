package dev.feedplatform.publish.fanout;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.events.FanOutBatch;
import dev.feedplatform.common.events.PostPublished;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.publish.outbox.Outboxes;
import dev.feedplatform.publish.post.Posts;
import dev.feedplatform.runtime.messaging.RocketMq;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.message.MessageExt;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Push fan-out in two stages, both RocketMQ consumers so the work spreads over every instance and
 * survives any one of them dying: {@link #plan} turns a {@link PostPublished} into
 * {@link FanOutBatch}es of <em>active</em> fans (one indexed range scan of the follower index and one
 * ZMSCORE per batch); {@link #deliver} pushes one batch into inboxes with a single pipelined round
 * trip. A failure answers RECONSUME_LATER, so the broker redelivers; redelivery is harmless.
 */
@Component
public class FanOut {

	private static final Logger log = LoggerFactory.getLogger(FanOut.class);

	private final JdbcClient db;

	private final StringRedisTemplate redis;

	private final Inboxes inboxes;

	private final Outboxes outboxes;

	private final Posts posts;

	private final RocketMq rocketMq;

	private final FanOutSettings settings;

	private final Clock clock;

	private final Timer lag;

	private final Counter inboxWrites;

	FanOut(JdbcClient db, StringRedisTemplate redis, Inboxes inboxes, Outboxes outboxes, Posts posts, RocketMq rocketMq,
			FanOutSettings settings, Clock clock, MeterRegistry meters) {
		this.db = db;
		this.redis = redis;
		this.inboxes = inboxes;
		this.outboxes = outboxes;
		this.posts = posts;
		this.rocketMq = rocketMq;
		this.settings = settings;
		this.clock = clock;
		this.lag = Timer.builder("feed.fanout.lag").description("post creation to inbox write, per batch").register(meters);
		this.inboxWrites = Counter.builder("feed.fanout.inbox.writes").description("inboxes a post was pushed into").register(meters);
	}

	/** Stage 1: which active fans get the post, in batches. */
	void plan(PostPublished event) {
		this.outboxes.add(event.authorId(), event.postId()); // idempotent; heals a crash between insert and outbox
		if (event.bigAuthor() || this.posts.isBigAccount(event.authorId())) {
			return; // pulled at read time
		}
		double activeSince = this.clock.millis() - this.settings.activeWindow().toMillis();
		long after = 0;
		while (true) {
			List<Long> fans = this.db.sql("SELECT follower_id FROM follows WHERE followee_id = ? AND follower_id > ? ORDER BY follower_id LIMIT ?")
				.params(event.authorId(), after, this.settings.batchSize()).query(Long.class).list();
			if (fans.isEmpty()) {
				return;
			}
			after = fans.get(fans.size() - 1);
			List<Double> seen = this.redis.opsForZSet().score(RedisKeys.lastActive(), fans.stream().map(String::valueOf).toArray());
			List<Long> active = new ArrayList<>(fans.size());
			for (int i = 0; i < fans.size(); i++) {
				Double at = seen == null ? null : seen.get(i);
				if (at != null && at >= activeSince) {
					active.add(fans.get(i));
				}
			}
			if (!active.isEmpty()) {
				FanOutBatch batch = new FanOutBatch(event.postId(), event.authorId(), event.createdAtMs(),
						active.stream().mapToLong(Long::longValue).toArray());
				this.rocketMq.send(FanOutBatch.TOPIC, event.postId() + "-" + after, batch.encode());
			}
			if (fans.size() < this.settings.batchSize()) {
				return;
			}
		}
	}

	/** Stage 2: one pipelined write of a batch. */
	void deliver(FanOutBatch batch) {
		int written = this.inboxes.push(batch.postId(), batch.fans(), this.settings.inboxCap());
		this.inboxWrites.increment(written);
		this.lag.record(java.time.Duration.ofMillis(Math.max(0, this.clock.millis() - batch.createdAtMs())));
	}

	MessageListenerConcurrently planner() {
		return (messages, context) -> consume(messages, text -> plan(PostPublished.decode(text)));
	}

	MessageListenerConcurrently worker() {
		return (messages, context) -> consume(messages, text -> deliver(FanOutBatch.decode(text)));
	}

	private static ConsumeConcurrentlyStatus consume(List<MessageExt> messages, java.util.function.Consumer<String> handler) {
		try {
			for (MessageExt message : messages) {
				handler.accept(new String(message.getBody(), StandardCharsets.UTF_8));
			}
			return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
		}
		catch (RuntimeException ex) {
			log.warn("fan-out step failed, the broker will redeliver: {}", ex.toString());
			return ConsumeConcurrentlyStatus.RECONSUME_LATER;
		}
	}

}
