package dev.feedplatform.publish.store;

import java.util.OptionalLong;

import dev.feedplatform.runtime.messaging.EventJson;
import dev.feedplatform.common.events.PostChanged;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.runtime.ports.PostLinks;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The publish module's posts table, as other modules may touch it. */
@Component
class PostLinkAdapter implements PostLinks {

	private final JdbcClient db;

	private final RocketMq rocketMq;

	PostLinkAdapter(JdbcClient db, RocketMq rocketMq) {
		this.db = db;
		this.rocketMq = rocketMq;
	}

	@Override
	public OptionalLong authorOf(long postId) {
		return this.db.sql("SELECT author_id FROM posts WHERE id = ? AND status = 0")
			.param(postId)
			.query(Long.class)
			.optional()
			.map(OptionalLong::of)
			.orElse(OptionalLong.empty());
	}

	@Override
	public void linkLiveRoom(long postId, long roomId) {
		this.db.sql("UPDATE posts SET live_room_id = ? WHERE id = ?").params(roomId, postId).update();
		announce(postId);
	}

	@Override
	public void unlinkLiveRoom(long postId, long roomId) {
		if (this.db.sql("UPDATE posts SET live_room_id = NULL WHERE id = ? AND live_room_id = ?")
			.params(postId, roomId)
			.update() == 1) {
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
