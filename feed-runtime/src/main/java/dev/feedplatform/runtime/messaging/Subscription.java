package dev.feedplatform.runtime.messaging;

import org.apache.rocketmq.client.consumer.listener.MessageListener;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;

/**
 * A consumer a module declares as a bean, beside the {@link TopicDeclaration} of what it
 * reads; {@link RocketMqConfiguration} starts every declared subscription once the
 * application is ready (issue 20: instead of each module fetching beans in its own ready
 * listener). Bean methods are named {@code …Subscription}: a bean named like the
 * component it consumes with ({@code giftEffects}) would clash with that component's own
 * bean name.
 *
 * @param group the consumer group: instances of one group share the topic's queues
 * @param topic the topic read
 * @param tags the tags read ({@code "*"}: all)
 * @param from where a new group starts: the first offset, so nothing sent before the
 * group's first rebalance is skipped, unless a node's own group only wants what comes
 * after it
 * @param listener what a delivery runs ({@link Deliveries} builds the usual ones)
 * @param threads consuming threads on this instance
 * @param batchSize most messages one listener call gets (1: one at a time); pulls ask for
 * at least this many, since a call never gets more than one pull brought (the broker may
 * still hand over fewer: its {@code maxTransferCountOnMessageInMemory}, 32 by default)
 */
public record Subscription(String group, String topic, String tags, ConsumeFromWhere from, MessageListener listener,
		int threads, int batchSize) {

	/** Every message of the topic, from its first offset, one per listener call. */
	public Subscription(String group, String topic, MessageListener listener, int threads) {
		this(group, topic, "*", ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET, listener, threads, 1);
	}

	public Subscription {
		if (threads < 1 || batchSize < 1) {
			throw new IllegalArgumentException("threads and batch size of " + group + " must be positive");
		}
	}

	/** This subscription, delivering up to {@code size} messages per listener call. */
	public Subscription inBatchesOf(int size) {
		return new Subscription(this.group, this.topic, this.tags, this.from, this.listener, this.threads, size);
	}

	/**
	 * This subscription, reading only messages tagged {@code tags}, a new group starting
	 * at {@code from}.
	 */
	public Subscription only(String tags, ConsumeFromWhere from) {
		return new Subscription(this.group, this.topic, tags, from, this.listener, this.threads, this.batchSize);
	}

}
