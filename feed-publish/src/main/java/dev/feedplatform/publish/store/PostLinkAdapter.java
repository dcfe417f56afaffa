package dev.feedplatform.publish.store;

import java.util.OptionalLong;

import dev.feedplatform.runtime.messaging.EventJson;
import dev.feedplatform.common.events.PostChanged;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.runtime.ports.PostLinks;
import org.springframework.stereotype.Component;

/** The publish module's posts table, as other modules may touch it. */
@Component
class PostLinkAdapter implements PostLinks {

	private final PostMapper db;

	private final RocketMq rocketMq;

	PostLinkAdapter(PostMapper db, RocketMq rocketMq) {
		this.db = db;
		this.rocketMq = rocketMq;
	}

	@Override
	public OptionalLong authorOf(long postId) {
		PostMapper.Row row = this.db.summaryRow(postId);
		return row == null || row.status() != 0 ? OptionalLong.empty() : OptionalLong.of(row.authorId());
	}

	@Override
	public void linkLiveRoom(long postId, long roomId) {
		this.db.linkLiveRoom(postId, roomId);
		announce(postId);
	}

	@Override
	public void unlinkLiveRoom(long postId, long roomId) {
		if (this.db.unlinkLiveRoom(postId, roomId) == 1) {
			announce(postId);
		}
	}

	/**
	 * After the change committed: caches of the post (the detail page) drop their copy;
	 * the writer knows none of them.
	 */
	private void announce(long postId) {
		this.rocketMq.send(PostChanged.TOPIC, Long.toString(postId), EventJson.encode(new PostChanged(postId)));
	}

}
