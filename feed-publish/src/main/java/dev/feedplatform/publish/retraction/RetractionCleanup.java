package dev.feedplatform.publish.retraction;

import dev.feedplatform.runtime.messaging.EventJson;
import dev.feedplatform.common.events.PostRetracted;
import dev.feedplatform.publish.fanout.FollowerScan;
import dev.feedplatform.publish.outbox.Outboxes;
import dev.feedplatform.runtime.ports.Blacklist;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.runtime.messaging.Deliveries;
import dev.feedplatform.runtime.ports.HomeInboxes;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.springframework.stereotype.Component;

/**
 * Removes a retracted post from its author's outbox and from every follower's inbox (all
 * followers, not only active ones: an inactive inbox may still hold it), one pipelined
 * batch at a time, then releases the blacklist entry. A moderator's block is kept: the
 * release only removes a "retracted" entry. Redelivery is harmless: ZREM of a missing
 * member changes nothing.
 */
@Component
public class RetractionCleanup {

	/** Second stage of retraction cleanup, delivered late through the broker timer. */
	public static final String RELEASE_TOPIC = "feed-blacklist-release";

	/**
	 * Longer than any reader-side cache of post visibility (timeline hydration keeps 5
	 * s).
	 */
	static final long RELEASE_DELAY_MS = 30_000;

	/** Followers per pipelined ZREM round trip. */
	static final int BATCH = 1000;

	private final HomeInboxes inboxes;

	private final FollowerScan followers;

	private final Outboxes outboxes;

	private final Blacklist blacklist;

	private final RocketMq rocketMq;

	RetractionCleanup(HomeInboxes inboxes, FollowerScan followers, Outboxes outboxes, Blacklist blacklist,
			RocketMq rocketMq) {
		this.rocketMq = rocketMq;
		this.inboxes = inboxes;
		this.followers = followers;
		this.outboxes = outboxes;
		this.blacklist = blacklist;
	}

	/**
	 * The consumer of both topics: a retraction is cleaned up, a blacklist release puts
	 * the post back.
	 */
	public MessageListenerConcurrently listener() {
		return Deliveries.each("retraction cleanup",
				message -> new Delivered(this.rocketMq.topicOf(message),
						EventJson.decode(Deliveries.text(message), PostRetracted.class, PostRetracted::fromText)),
				delivered -> {
					if (RELEASE_TOPIC.equals(delivered.topic())) {
						release(delivered.event());
					}
					else {
						clean(delivered.event());
					}
				});
	}

	private record Delivered(String topic, PostRetracted event) {
	}

	void clean(PostRetracted event) {
		String member = Long.toString(event.postId());
		this.outboxes.remove(event.authorId(), event.postId());
		this.followers.each(event.authorId(), BATCH, followers -> {
			if (!followers.isEmpty()) {
				this.inboxes.unpush(event.postId(), followers);
			}
		});
		// Readers' hydration caches may hold the post as visible for a few seconds more;
		// release later.
		this.rocketMq.send(RELEASE_TOPIC, member, EventJson.encode(event), RELEASE_DELAY_MS);
	}

	/**
	 * Second stage: the post is gone from every store and cache; the blacklist entry can
	 * go.
	 */
	void release(PostRetracted event) {
		this.blacklist.remove(event.postId(), Blacklist.RETRACTED);
	}

}
