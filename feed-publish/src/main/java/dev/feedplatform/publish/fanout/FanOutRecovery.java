package dev.feedplatform.publish.fanout;

import java.time.Clock;

import dev.feedplatform.runtime.messaging.EventJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.publish.events.PostPublished;
import dev.feedplatform.common.id.IdGenerator;
import dev.feedplatform.publish.store.Posts;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.runtime.ports.SocialGraph;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Enqueues fan-out for posts stored by a process that died before it could enqueue them.
 * Any instance may run it at the same time as another: fan-out is idempotent.
 */
@Component
class FanOutRecovery {

	private static final Logger log = LoggerFactory.getLogger(FanOutRecovery.class);

	private final Posts posts;

	private final SocialGraph graph;

	private final RocketMq rocketMq;

	private final FanOutSettings settings;

	private final Clock clock;

	FanOutRecovery(Posts posts, SocialGraph graph, RocketMq rocketMq, FanOutSettings settings, Clock clock) {
		this.graph = graph;
		this.posts = posts;
		this.rocketMq = rocketMq;
		this.settings = settings;
		this.clock = clock;
	}

	@Scheduled(fixedDelayString = "${feed.fanout.recovery-every:5s}",
			initialDelayString = "${feed.fanout.recovery-every:5s}")
	void sweep() {
		long before = IdGenerator.smallestIdAt(this.clock.millis() - this.settings.recoveryAfter().toMillis());
		for (Posts.Unannounced post : this.posts.unannounced(before, 500)) {
			PostPublished event = new PostPublished(post.id(), post.authorId(), IdGenerator.epochMsOf(post.id()),
					this.graph.isBig(post.authorId()));
			this.rocketMq.send(PostPublished.TOPIC, Long.toString(post.id()), EventJson.encode(event));
			this.posts.fanOutEnqueued(post.id());
			log.info("re-enqueued fan-out of post {} left behind by a crash", post.id());
		}
	}

}
