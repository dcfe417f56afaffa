package dev.feedplatform.runtime.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.feedplatform.common.error.Problem;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.MessageListener;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.MessageQueueSelector;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.exception.RemotingException;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;

/**
 * The process's RocketMQ clients: one producer, the consumers modules subscribe, and an
 * admin client for topic creation and health. RocketMQ client threads are not daemons, so
 * everything started here is shut down explicitly when the context closes.
 */
public final class RocketMq implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(RocketMq.class);

	private final RocketMqSettings settings;

	/**
	 * Clients with the same instance name share one connection set; contexts in one JVM
	 * must not.
	 */
	private final String instanceName = "feed-" + UUID.randomUUID();

	private final DefaultMQAdminExt admin;

	/** Prefix of every topic and group name ({@link RocketMqSettings#namespace()}). */
	private final String prefix;

	private final DefaultMQProducer producer;

	private final List<DefaultMQPushConsumer> consumers = new CopyOnWriteArrayList<>();

	/**
	 * Brokers a queue-choosing send (ordered, tagged) failed on lately, with the
	 * {@code nanoTime} until which such sends pick among the other brokers' queues (issue
	 * 21). RocketMQ's own fault avoidance covers only sends where it picks the queue; a
	 * selector would keep choosing a dead broker's queues until the NameServer drops its
	 * route and the producer refreshes (seconds), answering 503 meanwhile.
	 */
	private final Map<String, Long> failedBrokers = new ConcurrentHashMap<>();

	/** How long a broker that failed a queue-choosing send is left out of its choices. */
	static final Duration BROKER_AVOIDANCE = Duration.ofSeconds(10);

	public RocketMq(RocketMqSettings settings, List<TopicDeclaration> topics) {
		this.settings = settings;
		this.prefix = settings.namespace() == null || settings.namespace().isBlank() ? ""
				: settings.namespace().strip() + "-";
		try {
			this.admin = new DefaultMQAdminExt(5_000);
			this.admin.setNamesrvAddr(settings.nameServer());
			this.admin.setInstanceName(this.instanceName + "-admin");
			this.admin.start();
			createTopics(topics);
			this.producer = new DefaultMQProducer(named("feed-producer"));
			this.producer.setNamesrvAddr(settings.nameServer());
			this.producer.setInstanceName(this.instanceName);
			this.producer.setSendMsgTimeout(5_000);
			this.producer.setRetryTimesWhenSendFailed(3);
			// Several brokers (issue 21): a broker that failed a send is avoided for a
			// while, and a route without a dead broker is fetched every 5 s, not 30.
			this.producer.setSendLatencyFaultEnable(true);
			this.producer.setPollNameServerInterval(5_000);
			this.producer.start();
		}
		catch (MQClientException ex) {
			destroy();
			throw new IllegalStateException(
					"RocketMQ at " + settings.nameServer() + " is not usable: " + ex.getMessage(), ex);
		}
	}

	/** A topic or group as the broker knows it: with this process's namespace. */
	private String named(String resource) {
		return this.prefix + resource;
	}

	/** The topic a message was sent to, as the code names it (without the namespace). */
	public String topicOf(org.apache.rocketmq.common.message.MessageExt message) {
		String topic = message.getTopic();
		return topic.startsWith(this.prefix) ? topic.substring(this.prefix.length()) : topic;
	}

	/**
	 * Sends one message and waits for the broker's SEND_OK: once this returns, the
	 * message survives a crash of this process. A broker that can't take it is a 503 for
	 * the caller, not a silent loss.
	 */
	public void send(String topic, String key, String body) {
		send(topic, key, body, 0);
	}

	/**
	 * Like {@link #send(String, String, String)}, delivered no earlier than
	 * {@code delayMs} from now (broker timer wheel).
	 */
	public void send(String topic, String key, String body, long delayMs) {
		Message message = new Message(named(topic), "", key, body.getBytes(StandardCharsets.UTF_8));
		if (delayMs > 0) {
			message.setDelayTimeMs(delayMs);
		}
		sendDurably(message, key, topic, () -> this.producer.send(message));
	}

	/**
	 * One synchronous send: a 503 unless the broker answered SEND_OK (the message is on
	 * disk, as its store is configured).
	 */
	private void sendDurably(Message message, String key, String topic, Callable<SendResult> send) {
		try {
			SendResult result = send.call();
			if (result.getSendStatus() != SendStatus.SEND_OK) {
				throw notDurable(result, key, topic);
			}
		}
		catch (Problem problem) {
			throw problem;
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			throw Problem.unavailable("the message broker is unavailable; try again");
		}
	}

	/**
	 * Schedules a timer (a message delivered no earlier than {@code delayMs} from now)
	 * whose work a sweep also does once it is overdue, without waiting for the broker: a
	 * timer lost with a crash or refused is logged and left to that sweep, never the
	 * caller's failure. {@code what} names the timer in the log ("order 42's expiry").
	 */
	public void sendTimer(String topic, String key, String body, long delayMs, String what) {
		Message message = new Message(named(topic), "", key, body.getBytes(StandardCharsets.UTF_8));
		message.setDelayTimeMs(Math.max(1, delayMs));
		sendAsync(message, what + " not scheduled; its sweep will do it");
	}

	/**
	 * Sends one message without waiting for the broker: only for a message whose source
	 * row is an outbox that a sweep resends when its effects never ran (a gift), so a
	 * send lost with a crash or refused by the broker is late, never lost. The caller's
	 * answer doesn't wait a round trip.
	 */
	public void sendOutboxed(String topic, String key, String body) {
		sendAsync(new Message(named(topic), "", key, body.getBytes(StandardCharsets.UTF_8)),
				key + " on " + topic + " not sent, left to its outbox sweep");
	}

	/**
	 * Sends without waiting; a failure, now or in the broker's answer, is logged as
	 * {@code failure}.
	 */
	private void sendAsync(Message message, String failure) {
		try {
			this.producer.send(message, new SendCallback() {
				@Override
				public void onSuccess(SendResult result) {
					if (result.getSendStatus() != SendStatus.SEND_OK) {
						log.warn("RocketMQ answered {} for {} on {}", result.getSendStatus(), message.getKeys(),
								message.getTopic());
					}
				}

				@Override
				public void onException(Throwable ex) {
					log.warn("{}: {}", failure, ex.toString());
				}
			});
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			log.warn("{}: {}", failure, ex.toString());
		}
	}

	/**
	 * Sends to the queue chosen by {@code shard} (same shard, same queue), so an orderly
	 * consumer sees one shard's messages in send order: one room's barrage, say. 503 on
	 * failure.
	 */
	public void sendOrdered(String topic, String key, String body, long shard) {
		Message message = new Message(named(topic), "", key, body.getBytes(StandardCharsets.UTF_8));
		AtomicReference<MessageQueue> chosen = new AtomicReference<>();
		MessageQueueSelector selector = (queues, msg, arg) -> {
			MessageQueue queue = pick(queues, (Long) arg);
			chosen.set(queue);
			return queue;
		};
		sendDurably(message, key, topic, () -> {
			try {
				return this.producer.send(message, selector, shard);
			}
			catch (MQClientException | RemotingException | MQBrokerException ex) {
				// The shard's broker failed (killed, say): once more over the other
				// brokers' queues. The shard's order across that switch is not kept.
				brokerFailed(chosen.get());
				return this.producer.send(message, selector, shard);
			}
		});
	}

	/**
	 * The queue for {@code hash} among {@code queues}, leaving out those of brokers that
	 * failed a send in the last {@link #BROKER_AVOIDANCE} (unless no other is left).
	 */
	private MessageQueue pick(List<MessageQueue> queues, long hash) {
		List<MessageQueue> usable = queues;
		if (!this.failedBrokers.isEmpty()) {
			long now = System.nanoTime();
			List<MessageQueue> alive = queues.stream().filter(q -> {
				Long until = this.failedBrokers.get(q.getBrokerName());
				return until == null || until - now < 0;
			}).toList();
			if (!alive.isEmpty()) {
				usable = alive;
			}
		}
		return usable.get((int) Math.floorMod(hash, (long) usable.size()));
	}

	private void brokerFailed(MessageQueue queue) {
		if (queue != null) {
			log.warn("send to broker {} failed; queue-choosing sends avoid it for {}", queue.getBrokerName(),
					BROKER_AVOIDANCE);
			this.failedBrokers.put(queue.getBrokerName(), System.nanoTime() + BROKER_AVOIDANCE.toNanos());
		}
	}

	/**
	 * Sends many messages at once and returns when the broker acknowledged every one:
	 * asynchronous sends, so N messages cost about one round trip, each to the next queue
	 * (spreading consumers over instances). Any failure throws, and the caller's own
	 * redelivery repeats the whole set (consumers of such sets must be idempotent).
	 */
	public void sendAll(String topic, List<Map.Entry<String, String>> keyedBodies) {
		sendAllMessages(topic,
				keyedBodies.stream()
					.map(keyed -> new Message(named(topic), "", keyed.getKey(),
							keyed.getValue().getBytes(StandardCharsets.UTF_8)))
					.toList(),
				false);
	}

	/**
	 * Like {@link #sendAll(String, List)}, each body under its own tag (a consumer
	 * subscribed to a tag gets only its messages, filtered by the broker): messages
	 * addressed to one node, say. A tag's messages all go to one queue, in the order they
	 * were sent.
	 */
	public void sendTagged(String topic, Map<String, String> bodiesByTag) {
		sendAllMessages(topic,
				bodiesByTag.entrySet()
					.stream()
					.map(tagged -> new Message(named(topic), tagged.getKey(),
							tagged.getValue().getBytes(StandardCharsets.UTF_8)))
					.toList(),
				true);
	}

	/**
	 * A send the broker took but could not make as durable as configured
	 * (FLUSH_DISK_TIMEOUT, FLUSH_SLAVE_TIMEOUT, SLAVE_NOT_AVAILABLE under synchronous
	 * flush or replication): not a SEND_OK, so the caller is not told it survives a crash
	 * (issue 20: this used to be logged and treated as sent). The caller's retry may send
	 * it twice; every consumer is idempotent.
	 */
	private static Problem notDurable(SendResult result, String key, String topic) {
		log.warn("RocketMQ answered {} for {} on {}; reported as a failed send", result.getSendStatus(), key, topic);
		return Problem.unavailable(
				"the message broker did not make the message durable (" + result.getSendStatus() + "); try again");
	}

	/**
	 * With {@code byTag}, all messages of one tag go to one queue (chosen by the tag's
	 * hash), so a consumer of that tag pulls them in the order they were sent.
	 */
	private void sendAllMessages(String topic, List<Message> messages, boolean byTag) {
		if (messages.isEmpty()) {
			return;
		}
		CountDownLatch done = new CountDownLatch(messages.size());
		AtomicReference<Throwable> failure = new AtomicReference<>();
		for (Message message : messages) {
			AtomicReference<MessageQueue> chosen = new AtomicReference<>();
			try {
				SendCallback callback = new SendCallback() {
					@Override
					public void onSuccess(SendResult result) {
						if (result.getSendStatus() != SendStatus.SEND_OK) {
							failure.compareAndSet(null, notDurable(result, message.getKeys(), topic));
						}
						done.countDown();
					}

					@Override
					public void onException(Throwable ex) {
						brokerFailed(chosen.get()); // the caller's retry goes elsewhere
						failure.compareAndSet(null, ex);
						done.countDown();
					}
				};
				if (byTag) {
					this.producer.send(message, (queues, msg, tag) -> {
						MessageQueue queue = pick(queues, tag.hashCode());
						chosen.set(queue);
						return queue;
					}, message.getTags(), callback);
				}
				else {
					this.producer.send(message, callback);
				}
			}
			catch (Exception ex) {
				brokerFailed(chosen.get());
				failure.compareAndSet(null, ex);
				done.countDown();
			}
		}
		try {
			if (!done.await(this.producer.getSendMsgTimeout() * 2L, TimeUnit.MILLISECONDS)) {
				throw Problem
					.unavailable("the message broker did not acknowledge " + done.getCount() + " messages on " + topic);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw Problem.unavailable("interrupted while sending to " + topic);
		}
		if (failure.get() != null) {
			throw Problem.unavailable("the message broker is unavailable (" + failure.get() + "); try again");
		}
	}

	/**
	 * Starts a push consumer of every message of the topic, from its first offset when
	 * the group is new (messages sent before its first rebalance must not be skipped).
	 * Consumers of one group share the topic's queues across app instances, which is how
	 * work spreads when more instances run.
	 */
	public DefaultMQPushConsumer subscribe(String group, String topic, MessageListener listener, int threads) {
		return subscribe(new Subscription(group, topic, listener, threads));
	}

	/**
	 * Starts a declared subscription's consumer: its tags ({@code "*"}: all), where a new
	 * group starts (a node's own delivery group starts at the newest message, since what
	 * was addressed to an earlier node of the same name has no reader left), its threads
	 * and batch size, all set before the consumer starts.
	 */
	public DefaultMQPushConsumer subscribe(Subscription subscription) {
		DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(named(subscription.group()));
		consumer.setNamesrvAddr(this.settings.nameServer());
		consumer.setInstanceName(this.instanceName);
		consumer.setConsumeFromWhere(subscription.from());
		consumer.setConsumeThreadMin(subscription.threads());
		consumer.setConsumeThreadMax(subscription.threads());
		consumer.setMessageListener(subscription.listener());
		if (subscription
			.listener() instanceof org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently) {
			// Orderly consumers retry in place, without end; concurrent ones as
			// Deliveries schedules.
			consumer.setMaxReconsumeTimes(Deliveries.MAX_RECONSUME_TIMES);
		}
		if (subscription.batchSize() > 1) {
			consumer.setConsumeMessageBatchMaxSize(subscription.batchSize());
			consumer.setPullBatchSize(Math.max(consumer.getPullBatchSize(), subscription.batchSize()));
		}
		try {
			consumer.subscribe(named(subscription.topic()), subscription.tags());
			consumer.start();
		}
		catch (MQClientException ex) {
			throw new IllegalStateException("cannot subscribe " + subscription.group() + " to " + subscription.topic(),
					ex);
		}
		this.consumers.add(consumer);
		return consumer;
	}

	/**
	 * Queues of the group's topics (retry queues aside) that this instance holds the
	 * broker's lock for: what an orderly consumer consumes.
	 */
	// The client exposes a queue's broker lock only through its impl; health needs it.
	@SuppressWarnings("deprecation")
	public int lockedQueues(String group) {
		return this.consumers.stream()
			.filter(consumer -> consumer.getConsumerGroup().equals(named(group)))
			.flatMap(consumer -> consumer.getDefaultMQPushConsumerImpl()
				.getRebalanceImpl()
				.getProcessQueueTable()
				.entrySet()
				.stream())
			.filter(e -> !e.getKey().getTopic().startsWith("%RETRY%"))
			.filter(e -> e.getValue().isLocked() && !e.getValue().isDropped() && !e.getValue().isLockExpired())
			.mapToInt(e -> 1)
			.sum();
	}

	/**
	 * Every broker address (host:port) the NameServer knows, masters and slaves; what
	 * health probes.
	 */
	public List<String> brokerAddresses() throws Exception {
		List<String> addresses = new ArrayList<>();
		this.admin.examineBrokerClusterInfo()
			.getBrokerAddrTable()
			.values()
			.forEach(b -> addresses.addAll(b.getBrokerAddrs().values()));
		return addresses;
	}

	/**
	 * The brokers that queue-choosing sends leave out now, after a failed send (for
	 * {@link #BROKER_AVOIDANCE}).
	 */
	public Set<String> avoidedBrokers() {
		long now = System.nanoTime();
		Set<String> names = new TreeSet<>();
		this.failedBrokers.forEach((name, until) -> {
			if (until - now > 0) {
				names.add(name);
			}
		});
		return names;
	}

	/**
	 * The brokers holding queues of {@code topic} by the NameServer's route as it stands
	 * now: both of {@code bin/platform --cluster}'s brokers while both are up.
	 */
	public Set<String> brokersOf(String topic) throws Exception {
		Set<String> names = new TreeSet<>();
		this.admin.examineTopicRouteInfo(named(topic)).getQueueDatas().forEach(q -> names.add(q.getBrokerName()));
		return names;
	}

	/**
	 * The read queues of {@code topic} over all its brokers (8 per broker for the barrage
	 * topic: 16 on {@code --cluster}'s two brokers).
	 */
	public int queuesOf(String topic) throws Exception {
		return this.admin.examineTopicRouteInfo(named(topic))
			.getQueueDatas()
			.stream()
			.mapToInt(q -> q.getReadQueueNums())
			.sum();
	}

	private void createTopics(List<TopicDeclaration> topics) throws MQClientException {
		if (topics.isEmpty()) {
			return;
		}
		long deadline = System.nanoTime() + this.settings.routeWait().toNanos();
		List<String> masters = masters(deadline);
		Set<String> pending = new HashSet<>();
		for (TopicDeclaration topic : topics) {
			int queues = topic.queues() > 0 ? topic.queues() : this.settings.queuesPerTopic();
			// perm 6 = read + write
			TopicConfig config = new TopicConfig(named(topic.name()), queues, queues, 6);
			for (String master : masters) {
				try {
					this.admin.createAndUpdateTopicConfig(master, config);
				}
				catch (Exception ex) {
					throw new MQClientException("cannot create topic " + topic.name(), ex);
				}
			}
			pending.add(named(topic.name()));
		}
		// A new topic is usable once its route reached the NameServer (the broker
		// registers it).
		while (!pending.isEmpty()) {
			for (String topic : new ArrayList<>(pending)) {
				try {
					if (!this.admin.examineTopicRouteInfo(topic).getQueueDatas().isEmpty()) {
						pending.remove(topic);
					}
				}
				catch (Exception ex) {
					// not routed yet
				}
			}
			if (!pending.isEmpty()) {
				if (System.nanoTime() > deadline) {
					throw new MQClientException(
							"no route for topics " + pending + " after " + this.settings.routeWait(), null);
				}
				sleep(200);
			}
		}
		log.info("RocketMQ topics ready: {}", topics.stream().map(TopicDeclaration::name).toList());
	}

	private List<String> masters(long deadline) throws MQClientException {
		while (true) {
			try {
				ClusterInfo info = this.admin.examineBrokerClusterInfo();
				List<String> masters = info.getBrokerAddrTable()
					.values()
					.stream()
					.map(BrokerData::selectBrokerAddr)
					.toList();
				if (!masters.isEmpty()) {
					return masters;
				}
			}
			catch (Exception ex) {
				if (System.nanoTime() > deadline) {
					throw new MQClientException("no RocketMQ broker registered at " + this.settings.nameServer(), ex);
				}
			}
			if (System.nanoTime() > deadline) {
				throw new MQClientException("no RocketMQ broker registered at " + this.settings.nameServer(), null);
			}
			sleep(200);
		}
	}

	private static void sleep(long ms) {
		try {
			Thread.sleep(ms);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Shuts every consumer down (each finishes the messages it is handling and commits
	 * its offsets); sending still works until {@link #destroy()}. Idempotent.
	 */
	public void stopConsuming() {
		for (DefaultMQPushConsumer consumer : this.consumers) {
			consumer.shutdown();
		}
		this.consumers.clear();
	}

	@Override
	public void destroy() {
		stopConsuming();
		if (this.producer != null) {
			this.producer.shutdown();
		}
		if (this.admin != null) {
			this.admin.shutdown();
		}
	}

}
