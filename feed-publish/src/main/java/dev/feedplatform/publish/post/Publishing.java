package dev.feedplatform.publish.post;

import dev.feedplatform.common.events.PostPublished;
import dev.feedplatform.common.id.IdGenerator;
import dev.feedplatform.common.posts.PostSummary;
import dev.feedplatform.publish.outbox.Outboxes;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import dev.feedplatform.runtime.messaging.RocketMq;
import org.springframework.stereotype.Component;

/**
 * Publishing a post: store it, add it to the author's outbox, enqueue fan-out, answer. The answer
 * never waits for fan-out, so a creator with 20,000 fans publishes as fast as one with 10. If the
 * process dies after the insert but before the enqueue, {@code fanout_state} stays 0 and the
 * recovery sweep enqueues it later.
 */
@Component
class Publishing {

	private final Posts posts;

	private final Outboxes outboxes;

	private final RocketMq rocketMq;

	private final LeasedIdGenerator ids;

	Publishing(Posts posts, Outboxes outboxes, RocketMq rocketMq, LeasedIdGenerator ids) {
		this.posts = posts;
		this.outboxes = outboxes;
		this.rocketMq = rocketMq;
		this.ids = ids;
	}

	PostSummary publish(long authorId, PostRequest request) {
		PostRequest.Valid post = request.validate();
		long id = this.ids.next();
		PostSummary summary = this.posts.insert(id, authorId, post);
		this.outboxes.add(authorId, id);
		boolean big = this.posts.isBigAccount(authorId);
		this.rocketMq.send(PostPublished.TOPIC, Long.toString(id), new PostPublished(id, authorId, IdGenerator.epochMsOf(id), big).encode());
		this.posts.fanOutEnqueued(id);
		return summary;
	}

}
