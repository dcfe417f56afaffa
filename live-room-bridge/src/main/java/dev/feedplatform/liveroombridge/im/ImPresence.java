package dev.feedplatform.liveroombridge.im;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.liveroombridge.im.DeviceRegistry.Devices;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Online/offline and last-active per user (seed 004), read from the routing table: a user
 * is online while a device of theirs is connected to a live node. When a user's devices
 * come or go on this node, the change is only noted; every {@code presence-interval} the
 * noted users' state is read once and, where it differs from what contacts were last told
 * (kept in the routing table, so a user who came online on one node and left from another
 * is still told offline), one {@code presence} frame goes to their 1:1 contacts. A
 * reconnect storm (off, on, off, on) costs each contact at most one frame per user per
 * interval, and none when the user ends where they began (Rocket.Chat #21182: presence
 * broadcasts pinned 33 instances at ~3,000 users). A contact of many users that changed
 * in one interval gets one {@code batch} frame of presence items.
 */
@Component
class ImPresence {

	private static final Logger log = LoggerFactory.getLogger(ImPresence.class);

	/**
	 * Contacts told about one user's change (their 1:1 conversations, most recent first).
	 */
	static final int MAX_CONTACTS = 1_000;

	/** Users whose contacts one query reads. */
	static final int CHUNK = 500;

	/** Users looked up at most per presence call (API.md). */
	static final int MAX_IDS = 100;

	private final DeviceRegistry registry;

	private final ConversationMapper conversations;

	private final ChatRouter router;

	private final ChatFrames frames;

	private final Set<Long> noted = ConcurrentHashMap.newKeySet();

	private final Counter framesSent;

	ImPresence(DeviceRegistry registry, ConversationMapper conversations, ChatRouter router, ChatFrames frames,
			MeterRegistry meters) {
		this.registry = registry;
		this.conversations = conversations;
		this.router = router;
		this.frames = frames;
		this.framesSent = Counter.builder("feed.im.presence.frames")
			.description("presence frames sent to contacts (one per contact and interval)")
			.register(meters);
	}

	/** A user's devices changed on this node. */
	void changed(long userId) {
		this.noted.add(userId);
	}

	/** {@code {"<id>":{"online","last_active"}}} for up to {@value #MAX_IDS} users. */
	Map<String, Map<String, Object>> of(Collection<Long> users) {
		Map<Long, Devices> devices = this.registry.lookup(users);
		Map<String, Map<String, Object>> answer = new LinkedHashMap<>();
		long now = System.currentTimeMillis();
		for (long user : users) {
			Devices d = devices.getOrDefault(user, Devices.NONE);
			Map<String, Object> state = new LinkedHashMap<>();
			state.put("online", d.online());
			long last = d.online() ? Math.max(d.lastActive(), now) : d.lastActive();
			state.put("last_active", last == 0 ? null : last);
			answer.put(Long.toString(user), state);
		}
		return answer;
	}

	@Scheduled(fixedDelayString = "${feed.im.presence-interval:3s}")
	void tell() {
		if (this.noted.isEmpty()) {
			return;
		}
		List<Long> users = new ArrayList<>(this.noted);
		this.noted.removeAll(users);
		try {
			Map<Long, Devices> now = this.registry.lookup(users);
			Map<Long, Devices> changed = new LinkedHashMap<>();
			for (long user : users) {
				Devices d = now.getOrDefault(user, Devices.NONE);
				if (this.registry.tell(user, d.online())) {
					// a change to tell (otherwise nothing is new for the contacts: a
					// first sighting offline is not news)
					changed.put(user, d);
				}
			}
			// Everyone's contacts in one query per chunk; each contact gets one frame for
			// the whole
			// interval (a `batch` of presence items when several of its contacts
			// changed), and all of
			// them go out in one routing call.
			Map<Long, String> frameOf = new HashMap<>();
			long at = System.currentTimeMillis();
			changed.forEach((user, d) -> frameOf.put(user,
					this.frames.presence(user, d.online(), d.online() ? at : d.lastActive())));
			Map<Long, List<String>> perContact = new LinkedHashMap<>();
			List<Long> changedUsers = List.copyOf(changed.keySet());
			for (int from = 0; from < changedUsers.size(); from += CHUNK) {
				for (ConversationMapper.Direct direct : this.conversations
					.direct(changedUsers.subList(from, Math.min(changedUsers.size(), from + CHUNK)))) {
					long contact = ConversationId.parse(direct.conversation()).peerOf(direct.userId());
					perContact.computeIfAbsent(contact, c -> new ArrayList<>()).add(frameOf.get(direct.userId()));
				}
			}
			Map<String, List<Long>> framesTo = new LinkedHashMap<>();
			perContact.forEach((contact, items) -> framesTo
				.computeIfAbsent(items.size() == 1 ? items.get(0) : this.frames.batch(items), f -> new ArrayList<>())
				.add(contact));
			if (!framesTo.isEmpty()) {
				this.router.frames(framesTo);
				this.framesSent.increment(perContact.size());
			}
		}
		catch (RuntimeException ex) {
			log.warn("could not tell presence changes now: {}", ex.toString());
			this.noted.addAll(users);
		}
	}

}
