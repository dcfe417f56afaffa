package dev.feedplatform.publish.retraction;

import dev.feedplatform.runtime.messaging.EventJson;
import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.events.PostRetracted;
import dev.feedplatform.publish.store.Posts;
import dev.feedplatform.runtime.ports.Blacklist;
import dev.feedplatform.runtime.messaging.RocketMq;
import org.springframework.stereotype.Component;

/**
 * An author withdraws a post: blacklist first, so every read path drops it at once, then
 * mark it retracted in the database, then let {@link RetractionCleanup} remove it from
 * the outbox and the inboxes in batches, after which the blacklist entry is released.
 */
@Component
public class Retracting {

	private final Posts posts;

	private final Blacklist blacklist;

	private final RocketMq rocketMq;

	Retracting(Posts posts, Blacklist blacklist, RocketMq rocketMq) {
		this.posts = posts;
		this.blacklist = blacklist;
		this.rocketMq = rocketMq;
	}

	public void retract(long postId, long requesterId) {
		Posts.Ownership post = this.posts.ownership(postId).orElseThrow(() -> Problem.notFound("no post " + postId));
		if (post.authorId() != requesterId) {
			throw Problem.forbidden("only the author may delete a post");
		}
		if (post.retracted()) {
			return; // already retracted: idempotent
		}
		this.blacklist.add(postId, Blacklist.RETRACTED);
		this.posts.retract(postId);
		this.rocketMq.send(PostRetracted.TOPIC, Long.toString(postId),
				EventJson.encode(new PostRetracted(postId, requesterId)));
	}

}
