package dev.feedplatform.timeline.home;

import java.util.List;

import dev.feedplatform.runtime.messaging.EventJson;
import dev.feedplatform.common.events.FollowChanged;
import dev.feedplatform.timeline.source.FollowingReader;
import dev.feedplatform.timeline.source.PullSource;
import dev.feedplatform.runtime.messaging.Deliveries;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.springframework.stereotype.Component;

/**
 * On follow, copies the followee's recent posts (those at or above the reader's inbox
 * floor) into a live inbox, so the inbox stays complete above its floor. Big accounts are
 * pulled at read time and need nothing; an inbox that isn't live is regenerated on the
 * next read instead. Unfollow needs no work here: reads filter by the current following
 * set; the followee's ids age out with the cap.
 */
@Component
class Backfill {

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

	/** The consumer of follow changes: a new follow backfills the reader's live inbox. */
	MessageListenerConcurrently listener() {
		return Deliveries.each("backfill", EventJson.reader(FollowChanged.class, FollowChanged::fromText), event -> {
			if (event.following()) {
				followed(event.followerId(), event.followeeId());
			}
		});
	}

}
