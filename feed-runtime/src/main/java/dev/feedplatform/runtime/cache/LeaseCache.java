package dev.feedplatform.runtime.cache;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A Redis cache with Facebook-style leases (memcache, NSDI 2013), shared by every
 * instance:
 * <ul>
 * <li>On a miss exactly one caller across all instances gets the lease (a token stored
 * beside the value) and loads; the others wait briefly for the value (or take the stale
 * copy).</li>
 * <li>Invalidation deletes the value <em>and</em> the lease, so a load that began before
 * a change can never store what it read: its set finds a different or no token and is
 * refused; it then reads again (seed 003, "缓存不一致场景 1" and "2").</li>
 * <li>Missing ids are cached as missing (penetration); TTLs carry jitter (avalanche); a
 * short Caffeine tier serves hot keys and is dropped on invalidation; a long-lived stale
 * copy answers when the source is down.</li>
 * </ul>
 * Every key of one id shares a hash tag, so each script runs on one Redis Cluster slot.
 * Within an instance, concurrent misses of the same id share one lookup (single flight).
 */
public class LeaseCache {

	/** Where an answer came from. */
	public enum Source {

		LOCAL, REDIS, LOADED, WAITED, STALE, UNCACHED

	}

	public record Lookup(Optional<String> value, Source source) {
	}

	/** Redis keys of one id: value, lease and stale copy, all with the same hash tag. */
	public record Keys(String value, String lease, String stale) {

		List<String> all() {
			return List.of(this.value, this.lease, this.stale);
		}

	}

	/**
	 * @param ttl value lifetime (jittered by ±{@code jitter})
	 * @param missingTtl lifetime of a "missing" marker
	 * @param leaseTtl how long a lease blocks other loaders if its holder dies
	 * @param staleTtl lifetime of the stale copy served when the source fails
	 * @param localTtl lifetime in the in-process tier
	 * @param maxWait how long a caller without the lease waits for the holder's value
	 */
	public record Settings(Duration ttl, Duration missingTtl, Duration leaseTtl, Duration staleTtl, Duration localTtl,
			Duration maxWait, double jitter) {
	}

	private static final String MISSING = "\u0000missing";

	// KEYS value, lease; ARGV token, lease ms -> {1, value} hit, {2, ''} lease granted,
	// {3, ''} someone else holds it
	// A script's result type is a class literal: List.class can't carry <Object>.
	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> GET_OR_LEASE = RedisScript.of("""
			local v = redis.call('GET', KEYS[1])
			if v then return {1, v} end
			if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2, ''} end
			return {3, ''}""", List.class);

	// KEYS value, lease, stale; ARGV token, value, ttl ms, stale ttl ms ('0': none)
	private static final RedisScript<Long> SET_IF_LEASED = RedisScript.of("""
			if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
			redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
			if ARGV[4] ~= '0' then redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[4]) end
			redis.call('DEL', KEYS[2])
			return 1""", Long.class);

	// KEYS value, lease; ARGV token: a loader that failed gives its lease back at once
	private static final RedisScript<Long> RELEASE = RedisScript.of("""
			if redis.call('GET', KEYS[2]) == ARGV[1] then return redis.call('DEL', KEYS[2]) end
			return 0""", Long.class);

	private final StringRedisTemplate redis;

	private final Function<String, Keys> keys;

	private final Settings settings;

	private final boolean leases;

	private final Cache<String, String> local;

	private final ConcurrentHashMap<String, CompletableFuture<Lookup>> inFlight = new ConcurrentHashMap<>();

	/**
	 * @param leases false turns this into plain cache-aside (every miss loads and sets,
	 * no local tier, no single flight): only for the tests' and the benchmark's same-run
	 * baselines
	 */
	public LeaseCache(StringRedisTemplate redis, Function<String, Keys> keys, Settings settings, boolean leases) {
		this.redis = redis;
		this.keys = keys;
		this.settings = settings;
		this.leases = leases;
		this.local = Caffeine.newBuilder().maximumSize(50_000).expireAfterWrite(settings.localTtl()).build();
	}

	/**
	 * The value of {@code id}: from the local tier, Redis, or {@code loader} (empty = the
	 * id doesn't exist, cached as missing). If the loader fails, the stale copy answers
	 * when there is one.
	 */
	public Lookup get(String id, Supplier<Optional<String>> loader) {
		if (!this.leases) {
			// the baseline: no local tier, no single flight, no lease
			return cacheAside(id, loader);
		}
		String cached = this.local.getIfPresent(id);
		if (cached != null) {
			return new Lookup(decode(cached), Source.LOCAL);
		}
		CompletableFuture<Lookup> mine = new CompletableFuture<>();
		CompletableFuture<Lookup> running = this.inFlight.putIfAbsent(id, mine);
		if (running != null) {
			return running.join(); // another request of this instance is already on it
		}
		try {
			Lookup lookup = leased(id, loader);
			mine.complete(lookup);
			return lookup;
		}
		catch (RuntimeException ex) {
			mine.completeExceptionally(ex);
			throw ex;
		}
		finally {
			this.inFlight.remove(id, mine);
		}
	}

	/**
	 * Drops the value, any lease (so no load in progress can store), the stale copy and
	 * this instance's local copy.
	 */
	public void invalidate(String id) {
		Keys k = this.keys.apply(id);
		this.redis.delete(k.all());
		this.local.invalidate(id);
	}

	/** Drops only this instance's local copy (another instance invalidated). */
	public void invalidateLocal(String id) {
		this.local.invalidate(id);
	}

	private Lookup leased(String id, Supplier<Optional<String>> loader) {
		Keys k = this.keys.apply(id);
		long deadline = System.nanoTime() + this.settings.maxWait().toNanos();
		for (int attempt = 0; attempt < 3; attempt++) {
			String token = UUID.randomUUID().toString();
			List<?> answer = this.redis.execute(GET_OR_LEASE, List.of(k.value(), k.lease()), token,
					Long.toString(this.settings.leaseTtl().toMillis()));
			long kind = ((Number) answer.get(0)).longValue();
			if (kind == 1) {
				String value = String.valueOf(answer.get(1));
				this.local.put(id, value);
				return new Lookup(decode(value), Source.REDIS);
			}
			if (kind == 2) {
				Optional<String> loaded;
				try {
					loaded = loader.get();
				}
				catch (RuntimeException ex) {
					this.redis.execute(RELEASE, List.of(k.value(), k.lease()), token);
					return staleOr(k, ex);
				}
				String encoded = loaded.orElse(MISSING);
				Long stored = this.redis.execute(SET_IF_LEASED, k.all(), token, encoded,
						Long.toString(ttlFor(loaded).toMillis()),
						loaded.isPresent() ? Long.toString(this.settings.staleTtl().toMillis()) : "0");
				if (stored != null && stored == 1) {
					this.local.put(id, encoded);
					return new Lookup(loaded, Source.LOADED);
				}
				// invalidated while loading: what was read may be stale; read again
				continue;
			}
			// Someone else holds the lease: wait for their value, or for the lease to go.
			Optional<Lookup> waited = awaitValue(id, k, deadline);
			if (waited.isPresent()) {
				return waited.get();
			}
			if (System.nanoTime() > deadline) {
				break;
			}
		}
		// Out of patience or repeatedly invalidated: answer from the source without
		// caching.
		try {
			return new Lookup(loader.get(), Source.UNCACHED);
		}
		catch (RuntimeException ex) {
			return staleOr(k, ex);
		}
	}

	private Optional<Lookup> awaitValue(String id, Keys k, long deadline) {
		long pause = 2;
		while (System.nanoTime() < deadline) {
			sleep(pause);
			pause = Math.min(pause * 2, 20);
			List<String> both = this.redis.opsForValue().multiGet(List.of(k.value(), k.lease()));
			String value = both == null ? null : both.get(0);
			if (value != null) {
				this.local.put(id, value);
				return Optional.of(new Lookup(decode(value), Source.WAITED));
			}
			if (both == null || both.get(1) == null) {
				return Optional.empty(); // lease gone without a value: try for it
			}
		}
		return Optional.empty();
	}

	private Lookup cacheAside(String id, Supplier<Optional<String>> loader) {
		Keys k = this.keys.apply(id);
		String value = this.redis.opsForValue().get(k.value());
		if (value != null) {
			return new Lookup(decode(value), Source.REDIS);
		}
		Optional<String> loaded = loader.get();
		this.redis.opsForValue().set(k.value(), loaded.orElse(MISSING), ttlFor(loaded));
		return new Lookup(loaded, Source.LOADED);
	}

	private Lookup staleOr(Keys k, RuntimeException failure) {
		String stale = this.redis.opsForValue().get(k.stale());
		if (stale == null) {
			throw failure;
		}
		return new Lookup(decode(stale), Source.STALE);
	}

	private Duration ttlFor(Optional<String> loaded) {
		Duration base = loaded.isPresent() ? this.settings.ttl() : this.settings.missingTtl();
		double factor = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * this.settings.jitter();
		return Duration.ofMillis(Math.max(1, (long) (base.toMillis() * factor)));
	}

	private static Optional<String> decode(String value) {
		return MISSING.equals(value) ? Optional.empty() : Optional.of(value);
	}

	private static void sleep(long ms) {
		try {
			Thread.sleep(ms);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for a lease holder", ex);
		}
	}

}
