package dev.feedplatform.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import dev.feedplatform.runtime.messaging.RocketMqSettings;
import dev.feedplatform.runtime.messaging.TopicDeclaration;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the brokers take (issue 21's sizing): synchronous sends of a 300-byte message (a
 * post event's size) from {@value #THREADS} threads for {@link #RUN}, each waiting for
 * SEND_OK as the platform's durable sends do — to every queue of the topic (both brokers
 * while broker-b runs: {@code bin/platform infra --cluster}) and, in alternating rounds
 * of the same run, only to the queues of the first broker: the baseline, so the ratio is
 * what a second broker adds on this machine. With one broker it reports that broker's
 * figure alone. The topic has no consumer.
 */
final class BrokerBench {

	static final String TOPIC = "bench-broker-throughput";

	static final int THREADS = 32;

	static final Duration RUN = Duration.ofSeconds(10);

	private final Bench bench;

	BrokerBench(Bench bench) {
		this.bench = bench;
	}

	void run() throws Exception {
		RocketMqSettings settings = this.bench.bean(RocketMqSettings.class);
		String topic = (settings.namespace() == null || settings.namespace().isBlank() ? ""
				: settings.namespace().strip() + "-") + TOPIC;
		DefaultMQProducer producer = new DefaultMQProducer("bench-broker-producer");
		producer.setNamesrvAddr(settings.nameServer());
		producer.setInstanceName("bench-broker-" + ProcessHandle.current().pid());
		producer.setSendMsgTimeout(5_000);
		producer.start();
		try {
			List<MessageQueue> all = producer.fetchPublishMessageQueues(topic);
			TreeSet<String> brokers = new TreeSet<>();
			all.forEach(q -> brokers.add(q.getBrokerName()));
			List<MessageQueue> first = all.stream().filter(q -> q.getBrokerName().equals(brokers.first())).toList();
			byte[] body = "x".repeat(300).getBytes(StandardCharsets.UTF_8);
			// Warm-up: JIT, and each broker maps its commit log files on first write.
			send(producer, topic, all, body, Duration.ofSeconds(10));
			Report report = this.bench.report();
			if (brokers.size() < 2) {
				// Nothing to compare: say so instead of printing 1.00×.
				report.add("broker",
						"durable sends/s (SEND_OK), 300 B, " + THREADS + " threads, one broker " + brokers
								+ " (start broker-b for the comparison: bin/platform infra --cluster)",
						Report.num(send(producer, topic, all, body, RUN), "/s"), "", "", "");
				return;
			}
			// Rounds in alternating order (one, both, then both, one...): drift hits both
			// alike.
			List<Double> one = new ArrayList<>();
			List<Double> both = new ArrayList<>();
			List<Double> ratios = new ArrayList<>();
			for (int round = 0; round < Rounds.ROUNDS; round++) {
				double o;
				double b;
				if (round % 2 == 0) {
					o = send(producer, topic, first, body, RUN);
					b = send(producer, topic, all, body, RUN);
				}
				else {
					b = send(producer, topic, all, body, RUN);
					o = send(producer, topic, first, body, RUN);
				}
				one.add(o);
				both.add(b);
				ratios.add(b / o);
			}
			report.add("broker",
					"durable sends/s (SEND_OK), 300 B, " + THREADS + " threads, queues of " + brokers.size()
							+ " brokers " + brokers + " vs those of " + brokers.first() + " alone (median of "
							+ Rounds.ROUNDS + " alternating rounds, spread)",
					Rounds.spread(both, "/s"), Rounds.spread(one, "/s one broker"), Rounds.ratioSpread(ratios), "");
		}
		finally {
			producer.shutdown();
		}
	}

	private static double send(DefaultMQProducer producer, String topic, List<MessageQueue> queues, byte[] body,
			Duration run) throws InterruptedException {
		LongAdder sent = new LongAdder();
		LongAdder failed = new LongAdder();
		AtomicBoolean going = new AtomicBoolean(true);
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < THREADS; t++) {
			threads.add(Thread.ofPlatform().start(() -> {
				while (going.get()) {
					MessageQueue queue = queues.get(ThreadLocalRandom.current().nextInt(queues.size()));
					try {
						if (producer.send(new Message(topic, body), queue).getSendStatus() == SendStatus.SEND_OK) {
							sent.increment();
						}
						else {
							failed.increment();
						}
					}
					catch (Exception ex) {
						failed.increment();
					}
				}
			}));
		}
		long start = System.nanoTime();
		Thread.sleep(run.toMillis());
		going.set(false);
		for (Thread thread : threads) {
			thread.join();
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		if (failed.sum() > 0) {
			System.out.println("[bench] broker: " + failed.sum() + " sends failed");
		}
		return sent.sum() / seconds;
	}

	/** The benchmark's topic, created on every broker at start-up like the platform's. */
	@Configuration(proxyBeanMethods = false)
	static class Topic {

		@Bean
		TopicDeclaration brokerBenchTopic() {
			return new TopicDeclaration(TOPIC, 8);
		}

	}

}
