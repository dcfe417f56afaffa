package dev.feedplatform.detailaggregator.page;

import java.nio.charset.StandardCharsets;
import java.util.function.ToLongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.messaging.Deliveries;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Invalidation decoupled from writers: the publish module announces retractions and
 * changes (a linked live room) on RocketMQ and knows nothing of this cache; this consumer
 * drops the post's cached core (value, lease and stale copy in Redis) and broadcasts the
 * id so every instance drops its local copy. The broadcast is best-effort (pub/sub can
 * drop); the local tier's short TTL bounds what a dropped message costs, and the
 * blacklist, not the cache, is what hides a post at once.
 */
@Component
public class DetailInvalidation implements MessageListener {

	private static final Logger log = LoggerFactory.getLogger(DetailInvalidation.class);

	private final PostCores cores;

	private final StringRedisTemplate redis;

	DetailInvalidation(PostCores cores, StringRedisTemplate redis) {
		this.cores = cores;
		this.redis = redis;
	}

	public void invalidate(long postId) {
		this.cores.invalidate(postId);
		this.redis.convertAndSend(RedisKeys.postDetailInvalidations(), Long.toString(postId));
	}

	/** Another instance invalidated: drop the local copy. */
	@Override
	public void onMessage(Message message, byte[] pattern) {
		try {
			this.cores.invalidateLocal(Long.parseLong(new String(message.getBody(), StandardCharsets.UTF_8)));
		}
		catch (NumberFormatException ex) {
			log.debug("ignoring invalidation {}", ex.toString());
		}
	}

	/**
	 * A consumer of post events (retracted, changed): each names a post whose cached core
	 * goes.
	 */
	MessageListenerConcurrently onEvent(ToLongFunction<String> postIdOf) {
		return Deliveries.each("detail invalidation", message -> postIdOf.applyAsLong(Deliveries.text(message)),
				this::invalidate);
	}

}
