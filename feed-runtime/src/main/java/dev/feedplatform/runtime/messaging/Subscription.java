package dev.feedplatform.runtime.messaging;

import org.apache.rocketmq.client.consumer.listener.MessageListener;

/**
 * A consumer a module declares as a bean, beside the {@link TopicDeclaration} of what it reads;
 * {@link RocketMqConfiguration} starts every declared subscription once the application is ready
 * (issue 20: instead of each module fetching beans in its own ready listener).
 *
 * @param group the consumer group: instances of one group share the topic's queues
 * @param topic the topic read
 * @param listener what a delivery runs ({@link Deliveries} builds the usual ones)
 * @param threads consuming threads on this instance
 * @param batchSize most messages one listener call gets (1: one at a time); pulls are made at
 *     least this big, since a call never gets more than one pull brought
 */
public record Subscription(String group, String topic, MessageListener listener, int threads, int batchSize) {

	/** One message per listener call. */
	public Subscription(String group, String topic, MessageListener listener, int threads) {
		this(group, topic, listener, threads, 1);
	}

	public Subscription {
		if (threads < 1 || batchSize < 1) {
			throw new IllegalArgumentException("threads and batch size of " + group + " must be positive");
		}
	}

	/** This subscription, delivering up to {@code size} messages per listener call. */
	public Subscription inBatchesOf(int size) {
		return new Subscription(this.group, this.topic, this.listener, this.threads, size);
	}

}
