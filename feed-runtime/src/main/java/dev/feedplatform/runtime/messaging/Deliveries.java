package dev.feedplatform.runtime.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * How every consumer of the platform treats a delivery, in one place. Each message is
 * decoded; one that does not decode ({@link IllegalArgumentException} from
 * {@code decode}) is poison: it is logged and dropped, since no retry can make it
 * readable and retrying it would stall its queue. The decoded messages are then handled
 * together; any failure there asks the broker to deliver the whole delivery again (every
 * handler is idempotent), in order for orderly consumers.
 */
public final class Deliveries {

	private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

	private Deliveries() {
	}

	/** A message's body as text (every message of the platform is UTF-8 JSON). */
	public static String text(MessageExt message) {
		return new String(message.getBody(), StandardCharsets.UTF_8);
	}

	/**
	 * A message whose body is one id (a delayed "expire order N" or "end rain N"), for
	 * {@code decode}.
	 * @throws IllegalArgumentException when it isn't (the message is dropped as
	 * malformed)
	 */
	public static long id(MessageExt message) {
		String body = text(message).trim();
		try {
			return Long.parseLong(body);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("not an id: " + body);
		}
	}

	/*
	 * When the broker delivers a failed delivery again. RocketMQ's own schedule (10 s, 30
	 * s, 1 min, 2 min, ...) leaves a consumer that failed three times during an outage
	 * 100 s behind once the outage is over: after a slow broker restart in CI, a post's
	 * fan-out was still waiting when the chaos probe gave up at 2 minutes. Every 5 s for
	 * the first minute catches up within seconds; then RocketMQ's schedule from 30 s on
	 * (delay levels 4..18: 30 s .. 2 h), so a long outage is still retried for about as
	 * long as by default (~4 h 45 min) before the dead-letter queue.
	 */
	static final int FAST_RETRIES = 12;

	/**
	 * Deliveries a concurrent consumer attempts again before the dead-letter queue: the
	 * fast ones, then levels 4..18.
	 */
	public static final int MAX_RECONSUME_TIMES = FAST_RETRIES + 15;

	/**
	 * The delay level (RocketMQ's 1 s 5 s 10 s 30 s 1m 2m ... 2h) of the next attempt
	 * after {@code reconsumeTimes} failures.
	 */
	static int retryDelayLevel(int reconsumeTimes) {
		return reconsumeTimes < FAST_RETRIES ? 2 : Math.min(4 + (reconsumeTimes - FAST_RETRIES), 18);
	}

	/** Concurrent consumption: the delivery's decoded messages handled at once. */
	public static <T> MessageListenerConcurrently all(String what, Function<MessageExt, T> decode,
			Consumer<List<T>> handle) {
		return (messages, context) -> {
			try {
				handle.accept(decode(what, messages, decode));
				return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
			}
			catch (RuntimeException ex) {
				log.warn("{} failed, the broker will redeliver: {}", what, ex.toString());
				if (context != null && !messages.isEmpty()) {
					context.setDelayLevelWhenNextConsume(retryDelayLevel(messages.get(0).getReconsumeTimes()));
				}
				return ConsumeConcurrentlyStatus.RECONSUME_LATER;
			}
		};
	}

	/** Concurrent consumption: the decoded messages handled one at a time. */
	public static <T> MessageListenerConcurrently each(String what, Function<MessageExt, T> decode,
			Consumer<T> handle) {
		return all(what, decode, decoded -> decoded.forEach(handle));
	}

	/**
	 * Orderly consumption (one queue, one thread, in order): a failure retries the same
	 * messages, still in order.
	 */
	public static <T> MessageListenerOrderly inOrder(String what, Function<MessageExt, T> decode,
			Consumer<List<T>> handle) {
		return (messages, context) -> {
			try {
				handle.accept(decode(what, messages, decode));
				return ConsumeOrderlyStatus.SUCCESS;
			}
			catch (RuntimeException ex) {
				log.warn("{} failed, will retry in order: {}", what, ex.toString());
				return ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT;
			}
		};
	}

	private static <T> List<T> decode(String what, List<MessageExt> messages, Function<MessageExt, T> decode) {
		List<T> decoded = new ArrayList<>(messages.size());
		for (MessageExt message : messages) {
			try {
				decoded.add(decode.apply(message));
			}
			catch (IllegalArgumentException malformed) {
				log.error("{}: dropping malformed message {} on {}: {}", what, message.getMsgId(), message.getTopic(),
						malformed.getMessage());
			}
		}
		return decoded;
	}

}
