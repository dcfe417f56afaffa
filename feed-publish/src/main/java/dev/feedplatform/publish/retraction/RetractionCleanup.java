package dev.feedplatform.publish.retraction;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.events.PostRetracted;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.publish.fanout.FanOutConfiguration;
import dev.feedplatform.publish.outbox.Outboxes;
import dev.feedplatform.runtime.blacklist.Blacklist;
import dev.feedplatform.runtime.messaging.RocketMq;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.common.message.MessageExt;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Removes a retracted post from its author's outbox and from every follower's inbox (all
 * followers, not only active ones: an inactive inbox may still hold it), one pipelined batch at a
 * time, then releases the blacklist entry. A moderator's block is kept: the release only removes a
 * "retracted" entry. Redelivery is harmless: ZREM of a missing member changes nothing.
 */
@Component
class RetractionCleanup implements MessageListenerConcurrently {

	private static final Logger log = LoggerFactory.getLogger(RetractionCleanup.class);

	/** Longer than any reader-side cache of post visibility (timeline hydration keeps 5 s). */
	static final long RELEASE_DELAY_MS = 30_000;

	/** Followers per pipelined ZREM round trip. */
	static final int BATCH = 1000;

	private final StringRedisTemplate redis;

	private final JdbcClient db;

	private final Outboxes outboxes;

	private final Blacklist blacklist;

	private final RocketMq rocketMq;

	RetractionCleanup(StringRedisTemplate redis, JdbcClient db, Outboxes outboxes, Blacklist blacklist, RocketMq rocketMq) {
		this.rocketMq = rocketMq;
		this.redis = redis;
		this.db = db;
		this.outboxes = outboxes;
		this.blacklist = blacklist;
	}

	@Override
	public ConsumeConcurrentlyStatus consumeMessage(List<MessageExt> messages,
			org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext context) {
		try {
			for (MessageExt message : messages) {
				PostRetracted event;
				try {
					event = PostRetracted.decode(new String(message.getBody(), StandardCharsets.UTF_8));
				}
				catch (IllegalArgumentException malformed) {
					// Poison: no retry can make it readable, and retrying it would stall the queue.
					log.error("dropping malformed message {} on {}: {}", message.getMsgId(), message.getTopic(), malformed.getMessage());
					continue;
				}
				if (FanOutConfiguration.RELEASE_TOPIC.equals(message.getTopic())) {
					release(event);
				}
				else {
					clean(event);
				}
			}
			return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
		}
		catch (RuntimeException ex) {
			log.warn("retraction cleanup failed, will retry: {}", ex.toString());
			return ConsumeConcurrentlyStatus.RECONSUME_LATER;
		}
	}

	void clean(PostRetracted event) {
		String member = Long.toString(event.postId());
		this.outboxes.remove(event.authorId(), event.postId());
		long after = 0;
		while (true) {
			List<Long> followers = this.db.sql("SELECT follower_id FROM follows WHERE followee_id = ? AND follower_id > ? ORDER BY follower_id LIMIT ?")
				.params(event.authorId(), after, BATCH).query(Long.class).list();
			if (followers.isEmpty()) {
				break;
			}
			this.redis.executePipelined((RedisCallback<Object>) connection -> {
				removeAll(connection, followers, member);
				return null;
			});
			after = followers.get(followers.size() - 1);
		}
		// Readers' hydration caches may hold the post as visible for a few seconds more; release later.
		this.rocketMq.send(FanOutConfiguration.RELEASE_TOPIC, member, event.encode(), RELEASE_DELAY_MS);
	}

	/** Second stage: the post is gone from every store and cache; the blacklist entry can go. */
	void release(PostRetracted event) {
		this.blacklist.remove(event.postId(), Blacklist.RETRACTED);
	}

	private static void removeAll(RedisConnection connection, List<Long> followers, String member) {
		byte[] value = member.getBytes(StandardCharsets.UTF_8);
		for (Long follower : followers) {
			connection.zSetCommands().zRem(RedisKeys.inbox(follower).getBytes(StandardCharsets.UTF_8), value);
		}
	}

}
