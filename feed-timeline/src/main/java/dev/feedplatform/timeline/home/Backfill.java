package dev.feedplatform.timeline.home;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.events.FollowChanged;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.timeline.source.FollowingReader;
import dev.feedplatform.timeline.source.PullSource;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * On follow, copies the followee's recent posts (those at or above the reader's inbox floor) into a
 * live inbox, so the inbox stays complete above its floor. Big accounts are pulled at read time and
 * need nothing; an inbox that isn't live is regenerated on the next read instead. Unfollow needs no
 * work here: reads filter by the current following set; the followee's ids age out with the cap.
 */
@Component
class Backfill {

	private static final Logger log = LoggerFactory.getLogger(Backfill.class);

	private final HomeInbox inbox;

	private final PullSource pull;

	private final FollowingReader following;

	private final TimelineSettings settings;

	Backfill(HomeInbox inbox, PullSource pull, FollowingReader following, TimelineSettings settings) {
		this.inbox = inbox;
		this.pull = pull;
		this.following = following;
		this.settings = settings;
	}

	void followed(long readerId, long followeeId) {
		Long floor = this.inbox.floor(readerId);
		if (floor == null || !this.following.bigAmong(java.util.Set.of(followeeId)).isEmpty()) {
			return;
		}
		List<Long> recent = this.pull.pull(List.of(followeeId), Long.MAX_VALUE, this.settings.inboxCap());
		List<Long> covered = floor == HomeInbox.BUILDING ? recent : recent.stream().filter(id -> id >= floor).toList();
		if (!covered.isEmpty()) {
			this.inbox.add(readerId, covered, this.settings.inboxCap());
		}
	}

	@EventListener(ApplicationReadyEvent.class)
	void subscribe(ApplicationReadyEvent ready) {
		MessageListenerConcurrently listener = (messages, context) -> {
			try {
				for (var message : messages) {
					FollowChanged event = FollowChanged.decode(new String(message.getBody(), StandardCharsets.UTF_8));
					if (event.following()) {
						followed(event.followerId(), event.followeeId());
					}
				}
				return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
			}
			catch (RuntimeException ex) {
				log.warn("backfill failed, will retry: {}", ex.toString());
				return ConsumeConcurrentlyStatus.RECONSUME_LATER;
			}
		};
		ready.getApplicationContext().getBean(RocketMq.class).subscribe("feed-timeline-backfill", FollowChanged.TOPIC, listener, 2);
	}

}
