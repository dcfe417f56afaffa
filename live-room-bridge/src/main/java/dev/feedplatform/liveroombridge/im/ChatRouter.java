package dev.feedplatform.liveroombridge.im;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.feedplatform.liveroombridge.im.DeviceRegistry.Devices;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.runtime.messaging.TopicDeclaration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends stored messages and frames to the nodes that hold their recipients' devices: the
 * recipients (both sides of a 1:1, every member of a group, the sender's own other
 * devices included) are looked up in the routing table in one pipelined round trip,
 * grouped by node, and each node gets one RocketMQ message tagged with its id (the broker
 * filters per node; goim sends everything to every comet instead). Recipients with no
 * device online get an offline push.
 */
@Component
class ChatRouter {

	static final String TOPIC = "feed-im-deliver";

	/**
	 * A delivery body's largest size in characters: well under the broker's 4 MiB message
	 * limit even in UTF-8.
	 */
	static final int MAX_BODY_CHARS = 1_000_000;

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ChatRouter.class);

	private final DeviceRegistry devices;

	private final GroupMembers groups;

	private final RocketMq rocketMq;

	private final JsonMapper json;

	private final OfflinePush push;

	private final Counter routed;

	ChatRouter(DeviceRegistry devices, GroupMembers groups, RocketMq rocketMq, JsonMapper json, OfflinePush push,
			MeterRegistry meters) {
		this.devices = devices;
		this.groups = groups;
		this.rocketMq = rocketMq;
		this.json = json;
		this.push = push;
		this.routed = Counter.builder("feed.im.routed")
			.description("chat messages routed to recipients' nodes")
			.register(meters);
	}

	/** Routes stored messages; throws (503) when the broker did not take them. */
	void route(List<StoredMessage> messages) {
		if (messages.isEmpty()) {
			return;
		}
		Map<StoredMessage, List<Long>> recipients = new LinkedHashMap<>();
		Set<Long> users = new HashSet<>();
		for (StoredMessage message : messages) {
			ConversationId conversation = ConversationId.parse(message.conversation());
			List<Long> of = conversation.group() ? this.groups.members(conversation.groupId())
					: List.of(conversation.first(), conversation.second());
			recipients.put(message, of);
			users.addAll(of);
		}
		Map<Long, Devices> online = this.devices.lookup(users);
		Map<String, List<ChatDelivery.Entry>> byNode = new LinkedHashMap<>();
		List<StoredMessage> offlineMessages = new ArrayList<>();
		List<Long> offlineUsers = new ArrayList<>();
		recipients.forEach((message, of) -> {
			Map<String, List<Long>> nodes = new LinkedHashMap<>();
			for (long user : of) {
				Devices d = online.getOrDefault(user, Devices.NONE);
				if (!d.online()) {
					if (user != message.from()) {
						offlineMessages.add(message);
						offlineUsers.add(user);
					}
					continue;
				}
				for (String node : d.nodes()) {
					nodes.computeIfAbsent(node, n -> new ArrayList<>()).add(user);
				}
			}
			nodes.forEach((node, to) -> byNode.computeIfAbsent(node, n -> new ArrayList<>())
				.add(new ChatDelivery.Entry(message, null, to)));
		});
		send(byNode);
		this.routed.increment(messages.size());
		for (int i = 0; i < offlineUsers.size(); i++) {
			try {
				this.push.offline(offlineUsers.get(i), offlineMessages.get(i));
			}
			catch (RuntimeException ex) {
				// Best effort: the message is stored and routed; a push is only a hint.
				log.warn("could not queue an offline push: {}", ex.toString());
			}
		}
	}

	/**
	 * Sends a ready frame to every online device of the users (presence, read cursors);
	 * best effort.
	 */
	void frame(Collection<Long> users, String frame) {
		frames(Map.of(frame, List.copyOf(users)));
	}

	/**
	 * Several frames, each to its users: one routing lookup and one message per node for
	 * all of them.
	 */
	void frames(Map<String, List<Long>> usersByFrame) {
		Set<Long> everyone = new HashSet<>();
		usersByFrame.values().forEach(everyone::addAll);
		Map<Long, Devices> online = this.devices.lookup(everyone);
		Map<String, List<ChatDelivery.Entry>> byNode = new LinkedHashMap<>();
		usersByFrame.forEach((frame, users) -> {
			Map<String, List<Long>> nodes = new LinkedHashMap<>();
			for (long user : users) {
				Devices d = online.getOrDefault(user, Devices.NONE);
				d.nodes().forEach(node -> nodes.computeIfAbsent(node, n -> new ArrayList<>()).add(user));
			}
			nodes.forEach((node, to) -> byNode.computeIfAbsent(node, n -> new ArrayList<>())
				.add(new ChatDelivery.Entry(null, frame, to)));
		});
		send(byNode);
	}

	private void send(Map<String, List<ChatDelivery.Entry>> byNode) {
		List<Map<String, String>> rounds = new ArrayList<>();
		byNode.forEach((node, entries) -> {
			List<String> bodies = bodies(entries);
			for (int i = 0; i < bodies.size(); i++) {
				if (rounds.size() <= i) {
					rounds.add(new LinkedHashMap<>());
				}
				rounds.get(i).put(node, bodies.get(i));
			}
		});
		// In order: a node's later part goes after its earlier one (one queue per node).
		for (Map<String, String> round : rounds) {
			this.rocketMq.sendTagged(TOPIC, round);
		}
	}

	/**
	 * A node's entries as bodies under {@link #MAX_BODY_CHARS} each (the broker takes at
	 * most 4 MiB a message).
	 */
	private List<String> bodies(List<ChatDelivery.Entry> entries) {
		String body = this.json.writeValueAsString(new ChatDelivery(entries));
		if (body.length() <= MAX_BODY_CHARS || entries.size() == 1) {
			return List.of(body);
		}
		List<String> parts = new ArrayList<>(bodies(entries.subList(0, entries.size() / 2)));
		parts.addAll(bodies(entries.subList(entries.size() / 2, entries.size())));
		return parts;
	}

	/**
	 * A node's copy of group member lists, for routing: trusted for
	 * {@code group-cache-ttl}, dropped at once on a local change.
	 */
	@Component
	static class GroupMembers {

		private final GroupMapper groups;

		private final Cache<Long, List<Long>> cache;

		GroupMembers(GroupMapper groups, ImSettings settings) {
			this.groups = groups;
			this.cache = Caffeine.newBuilder().expireAfterWrite(settings.groupCacheTtl()).maximumSize(10_000).build();
		}

		List<Long> members(long groupId) {
			return this.cache.get(groupId, this.groups::members);
		}

		void changed(long groupId) {
			this.cache.invalidate(groupId);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Topics {

		@Bean
		TopicDeclaration imDeliverTopic() {
			return new TopicDeclaration(TOPIC, 8);
		}

	}

}
