package dev.feedplatform.runtime.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyContext;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one policy of every consumer: poison is dropped, a failure to handle is delivered
 * again.
 */
class DeliveriesTests {

	/** Decodes "n:<number>"; anything else is malformed. */
	static long decode(MessageExt message) {
		String text = Deliveries.text(message);
		if (!text.startsWith("n:")) {
			throw new IllegalArgumentException("not a number message: " + text);
		}
		return Long.parseLong(text.substring(2));
	}

	static List<MessageExt> messages(String... bodies) {
		List<MessageExt> messages = new ArrayList<>();
		for (String body : bodies) {
			MessageExt message = new MessageExt();
			message.setTopic("t");
			message.setBody(body.getBytes(StandardCharsets.UTF_8));
			messages.add(message);
		}
		return messages;
	}

	@Test
	void aMalformedMessageIsDroppedAndTheRestIsHandledTogether() {
		List<List<Long>> handled = new ArrayList<>();
		var listener = Deliveries.all("test", DeliveriesTests::decode, handled::add);
		assertThat(listener.consumeMessage(messages("n:1", "garbage", "n:3"), null))
			.isEqualTo(ConsumeConcurrentlyStatus.CONSUME_SUCCESS);
		assertThat(handled).containsExactly(List.of(1L, 3L));
	}

	@Test
	void aFailureToHandleAsksForTheDeliveryAgain() {
		var listener = Deliveries.each("test", DeliveriesTests::decode, n -> {
			if (n == 2) {
				throw new IllegalStateException("store down");
			}
		});
		assertThat(listener.consumeMessage(messages("n:1", "n:2"), null))
			.isEqualTo(ConsumeConcurrentlyStatus.RECONSUME_LATER);
		// An IllegalArgumentException from handling is a failure too, not poison: only
		// decoding decides that.
		var strict = Deliveries.each("test", DeliveriesTests::decode, n -> {
			throw new IllegalArgumentException("bad state");
		});
		assertThat(strict.consumeMessage(messages("n:1"), null)).isEqualTo(ConsumeConcurrentlyStatus.RECONSUME_LATER);
	}

	@Test
	void aFailedDeliveryComesBackEveryFiveSecondsForAMinuteThenOnRocketMqsGrowingSchedule() {
		var listener = Deliveries.each("test", DeliveriesTests::decode, n -> {
			throw new IllegalStateException("broker restarting");
		});
		List<Integer> levels = new ArrayList<>();
		for (int failures = 0; failures <= Deliveries.MAX_RECONSUME_TIMES; failures++) {
			List<MessageExt> delivery = messages("n:1");
			delivery.get(0).setReconsumeTimes(failures);
			ConsumeConcurrentlyContext context = new ConsumeConcurrentlyContext(new MessageQueue("t", "b", 0));
			assertThat(listener.consumeMessage(delivery, context)).isEqualTo(ConsumeConcurrentlyStatus.RECONSUME_LATER);
			levels.add(context.getDelayLevelWhenNextConsume());
		}
		// Level 2 is 5 s; 4 is 30 s, 18 is 2 h (the broker's messageDelayLevel).
		assertThat(levels.subList(0, 12)).containsOnly(2);
		assertThat(levels.subList(12, 27)).isSorted().startsWith(4).endsWith(18).doesNotHaveDuplicates();
		assertThat(levels.get(27)).isEqualTo(18);
	}

	@Test
	void anOrderlyConsumerRetriesTheSameQueueInOrderAndStillDropsPoison() {
		List<Long> handled = new ArrayList<>();
		var failing = Deliveries.inOrder("test", DeliveriesTests::decode, batch -> {
			throw new IllegalStateException("redis down");
		});
		assertThat(failing.consumeMessage(messages("n:1"), null))
			.isEqualTo(ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT);
		var working = Deliveries.inOrder("test", DeliveriesTests::decode, handled::addAll);
		assertThat(working.consumeMessage(messages("x", "n:5", "n:6"), null)).isEqualTo(ConsumeOrderlyStatus.SUCCESS);
		assertThat(handled).containsExactly(5L, 6L);
	}

}
