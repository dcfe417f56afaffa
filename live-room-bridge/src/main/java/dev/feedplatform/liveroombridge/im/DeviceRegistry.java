package dev.feedplatform.liveroombridge.im;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The IM routing table in Redis ({@link RedisKeys#imDevices(long)}): one field per
 * connection, {@code <device>/<node>/<connection>} = {@code <node>}, and when the user
 * was last active. A field per connection, not per device, so that connections of one
 * device coming and going on several nodes in any order (a reconnect storm) never remove
 * each other's entries. A device is online while its entry names a node whose liveness
 * key is set: a node that died (no close, no cleanup) drops out within the liveness TTL,
 * and a device silent past the idle timeout is closed by the gateway and removed. Each
 * node re-stamps its devices on its heartbeat, so the table heals after Redis lost it.
 */
@Component
class DeviceRegistry {

	/** Field holding the user's last-active time (device ids never start with '~'). */
	static final String LAST_ACTIVE = "~last";

	/**
	 * A user's routing entry outlives their last device this long (for last-active), then
	 * goes.
	 */
	static final Duration KEEP = Duration.ofDays(30);

	/** How long a node's liveness is trusted without asking Redis again. */
	private static final long ALIVE_CACHE_NANOS = 1_000_000_000L;

	/**
	 * Field holding the presence last told to the user's contacts ("1" online, "0"
	 * offline), by any node.
	 */
	static final String TOLD = "~told";

	private static final RedisScript<String> SWAP_TOLD = RedisScript.of("""
			local old = redis.call('HGET', KEYS[1], '~told')
			redis.call('HSET', KEYS[1], '~told', ARGV[1])
			return old""", String.class);

	private static final RedisScript<Long> REGISTER = RedisScript.of("""
			redis.call('HSET', KEYS[1], ARGV[1], ARGV[2], '~last', ARGV[3])
			redis.call('EXPIRE', KEYS[1], ARGV[4])
			return 1""", Long.class);

	private static final RedisScript<Long> UNREGISTER = RedisScript.of("""
			redis.call('HDEL', KEYS[1], ARGV[1])
			redis.call('HSET', KEYS[1], '~last', ARGV[2])
			return 1""", Long.class);

	/**
	 * A user's online connections: the nodes they are on (all of them, also when one
	 * device has connections on two nodes for a moment) and the number of devices;
	 * last-active time.
	 */
	record Devices(Set<String> nodes, int devices, long lastActive) {

		static final Devices NONE = new Devices(Set.of(), 0, 0);

		boolean online() {
			return !this.nodes.isEmpty();
		}

	}

	private record Alive(boolean alive, long checkedAt) {
	}

	private final StringRedisTemplate redis;

	private final Map<String, Alive> aliveNodes = new ConcurrentHashMap<>();

	DeviceRegistry(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/**
	 * A connection's field: its device, node and connection id ('/' never occurs in a
	 * device id).
	 */
	static String field(String device, String node, String connection) {
		return device + "/" + node + "/" + connection;
	}

	private static String deviceOf(String field) {
		int slash = field.indexOf('/');
		return slash < 0 ? field : field.substring(0, slash);
	}

	/**
	 * One script on the shared connection, not a pipeline: a pipeline borrows a pooled
	 * connection, and thousands of devices connecting at once had the pool busy creating
	 * connections.
	 */
	void register(long userId, String field, String node, long now) {
		this.redis.execute(REGISTER, List.of(RedisKeys.imDevices(userId)), field, node, Long.toString(now),
				Long.toString(KEEP.toSeconds()));
	}

	void unregister(long userId, String field, long now) {
		this.redis.execute(UNREGISTER, List.of(RedisKeys.imDevices(userId)), field, Long.toString(now));
	}

	/** A local connection to re-stamp: its user, field and node. */
	record Stamp(long userId, String field, String node) {
	}

	/**
	 * Re-stamps every local device (and its user's last-active time) in one round trip.
	 */
	void stamp(Collection<Stamp> userDevices, Map<Long, Long> lastActive) {
		if (userDevices.isEmpty()) {
			return;
		}
		this.redis.executePipelined((RedisCallback<Object>) c -> {
			for (Stamp device : userDevices) {
				byte[] key = bytes(RedisKeys.imDevices(device.userId()));
				c.hashCommands().hSet(key, bytes(device.field()), bytes(device.node()));
				c.keyCommands().expire(key, KEEP.toSeconds());
			}
			lastActive.forEach((user, at) -> c.hashCommands()
				.hSet(bytes(RedisKeys.imDevices(user)), bytes(LAST_ACTIVE), bytes(Long.toString(at))));
			return null;
		});
	}

	/**
	 * Records what contacts are told now about the user; true when that differs from what
	 * they were told last (by any node).
	 */
	boolean tell(long userId, boolean online) {
		String now = online ? "1" : "0";
		String before = this.redis.execute(SWAP_TOLD, List.of(RedisKeys.imDevices(userId)), now);
		return before == null ? online : !before.equals(now);
	}

	/**
	 * Online devices (on live nodes) and last-active time of each user, in one round trip
	 * plus a liveness check.
	 */
	Map<Long, Devices> lookup(Collection<Long> users) {
		List<Long> ordered = List.copyOf(Set.copyOf(users));
		if (ordered.isEmpty()) {
			return Map.of();
		}
		List<Object> raw = this.redis.executePipelined((RedisCallback<Object>) c -> {
			for (long user : ordered) {
				c.hashCommands().hGetAll(bytes(RedisKeys.imDevices(user)));
			}
			return null;
		});
		Map<Long, Map<String, String>> entries = new HashMap<>();
		Set<String> nodes = new java.util.HashSet<>();
		for (int i = 0; i < ordered.size(); i++) {
			@SuppressWarnings("unchecked")
			Map<String, String> hash = raw.get(i) instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
			entries.put(ordered.get(i), hash);
			hash.forEach((field, node) -> {
				if (!field.startsWith("~")) {
					nodes.add(node);
				}
			});
		}
		Set<String> alive = alive(nodes);
		Map<Long, Devices> result = new HashMap<>();
		entries.forEach((user, hash) -> {
			Set<String> on = new java.util.HashSet<>();
			Set<String> devices = new java.util.HashSet<>();
			long last = 0;
			for (Map.Entry<String, String> field : hash.entrySet()) {
				if (field.getKey().equals(LAST_ACTIVE)) {
					last = parse(field.getValue());
				}
				else if (field.getKey().startsWith("~")) {
					continue;
				}
				else if (alive.contains(field.getValue())) {
					on.add(field.getValue());
					devices.add(deviceOf(field.getKey()));
				}
				// else: a connection of a node that died without closing it; it stays
				// until the hash expires
			}
			result.put(user, new Devices(on, devices.size(), last));
		});
		return result;
	}

	private Set<String> alive(Set<String> nodes) {
		long now = System.nanoTime();
		Set<String> alive = new java.util.HashSet<>();
		List<String> ask = new ArrayList<>();
		for (String node : nodes) {
			Alive known = this.aliveNodes.get(node);
			if (known != null && known.alive() && now - known.checkedAt() < ALIVE_CACHE_NANOS) {
				// only "alive" is remembered: a node back after Redis lost its key counts
				// at once
				alive.add(node);
			}
			else {
				ask.add(node);
			}
		}
		if (!ask.isEmpty()) {
			List<String> flags = this.redis.opsForValue()
				.multiGet(ask.stream().map(RedisKeys::bridgeNodeAlive).toList());
			for (int i = 0; i < ask.size(); i++) {
				boolean up = flags != null && flags.get(i) != null;
				this.aliveNodes.put(ask.get(i), new Alive(up, now));
				if (up) {
					alive.add(ask.get(i));
				}
			}
		}
		return alive;
	}

	private static long parse(String raw) {
		try {
			return Long.parseLong(raw);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static byte[] bytes(String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}

}
