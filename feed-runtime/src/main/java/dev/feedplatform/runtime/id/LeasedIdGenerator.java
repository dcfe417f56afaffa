package dev.feedplatform.runtime.id;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.id.IdGenerator;
import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Mints platform-wide ids from a worker slot leased in Redis, so no two live instances share a
 * worker id. The lease is renewed well before it expires; an instance that can't renew stops
 * minting rather than risk a duplicate. The slot's floor is kept beside the lease: while held, the
 * latest millisecond the holder may still mint in (its clock plus one lease); on a clean release,
 * the last millisecond it really used. The next holder starts above the floor, so it never repeats
 * an id of its predecessor, even when its own clock is behind.
 */
public class LeasedIdGenerator implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(LeasedIdGenerator.class);

	private final AtomicBoolean released = new AtomicBoolean();

	/** How long a dead instance blocks its slot. Short enough that 64 slots don't run out on restarts. */
	static final Duration LEASE = Duration.ofSeconds(30);

	/** Renew three times per lease, so two failed renewals in a row still leave the lease intact. */
	static final Duration RENEW_EVERY = LEASE.dividedBy(3);

	// KEYS[1] lease, KEYS[2] floor (same hash tag); ARGV token, ttl ms, last used ms.
	private static final RedisScript<Long> ACQUIRE = RedisScript.of("""
			if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
			  return tonumber(redis.call('GET', KEYS[2]) or '0')
			end
			return -1""", Long.class);

	private static final RedisScript<Long> RENEW = RedisScript.of("""
			if redis.call('GET', KEYS[1]) == ARGV[1] then
			  redis.call('PEXPIRE', KEYS[1], ARGV[2])
			  redis.call('SET', KEYS[2], ARGV[3])
			  return 1
			end
			return 0""", Long.class);

	private static final RedisScript<Long> RELEASE = RedisScript.of("""
			if redis.call('GET', KEYS[1]) == ARGV[1] then
			  redis.call('SET', KEYS[2], ARGV[3])
			  return redis.call('DEL', KEYS[1])
			end
			return 0""", Long.class);

	private final StringRedisTemplate redis;

	private final String token = UUID.randomUUID().toString();

	private final int workerId;

	private final IdGenerator generator;

	private final ScheduledExecutorService renewer;

	private volatile long validUntilNanos;

	public LeasedIdGenerator(StringRedisTemplate redis) {
		this.redis = redis;
		int slot = -1;
		long floor = 0;
		int start = (int) (Math.random() * IdGenerator.MAX_WORKERS);
		for (int i = 0; i < IdGenerator.MAX_WORKERS && slot < 0; i++) {
			int candidate = (start + i) % IdGenerator.MAX_WORKERS;
			Long got = redis.execute(ACQUIRE, keys(candidate), this.token, Long.toString(LEASE.toMillis()));
			if (got != null && got >= 0) {
				slot = candidate;
				floor = got;
			}
		}
		if (slot < 0) {
			throw new IllegalStateException("all " + IdGenerator.MAX_WORKERS + " id worker slots are leased");
		}
		this.workerId = slot;
		this.generator = new IdGenerator(slot, floor, System::currentTimeMillis);
		this.validUntilNanos = System.nanoTime() + LEASE.toNanos();
		renew(); // record the floor at once: a crash before the first scheduled renewal must not lose it
		this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "id-worker-lease");
			t.setDaemon(true);
			return t;
		});
		this.renewer.scheduleWithFixedDelay(this::renew, RENEW_EVERY.toMillis(), RENEW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
		log.info("leased id worker slot {}", slot);
	}

	public long next() {
		if (System.nanoTime() - this.validUntilNanos > 0 || this.released.get()) {
			throw new IllegalStateException("id worker lease " + this.workerId + " lapsed or released; refusing to mint");
		}
		return this.generator.next();
	}

	public int workerId() {
		return this.workerId;
	}

	private void renew() {
		long started = System.nanoTime();
		try {
			long mayMintUntil = Math.max(this.generator.lastUsedEpochMs(), System.currentTimeMillis() + LEASE.toMillis());
			Long ok = this.redis.execute(RENEW, keys(this.workerId), this.token, Long.toString(LEASE.toMillis()),
					Long.toString(mayMintUntil));
			if (ok != null && ok == 1) {
				this.validUntilNanos = started + LEASE.toNanos();
			}
			else {
				log.error("id worker slot {} was taken by another instance; minting stops", this.workerId);
				this.validUntilNanos = started;
			}
		}
		catch (RuntimeException ex) {
			log.warn("could not renew id worker lease {}: {}", this.workerId, ex.toString());
		}
	}

	/**
	 * Releases the slot. Not a SmartLifecycle stop: Spring's test framework pauses idle contexts
	 * through stop/start, and a paused generator must keep its lease. When the Redis client has
	 * already stopped, the release fails and the slot is simply free again after one lease.
	 */
	@Override
	public void destroy() {
		if (!this.released.compareAndSet(false, true)) {
			return;
		}
		this.renewer.shutdownNow();
		try {
			this.redis.execute(RELEASE, keys(this.workerId), this.token, "0", Long.toString(this.generator.lastUsedEpochMs()));
		}
		catch (RuntimeException ex) {
			log.warn("could not release id worker lease {}: {}", this.workerId, ex.toString());
		}
	}

	private static List<String> keys(int workerId) {
		return List.of(RedisKeys.idWorker(workerId), RedisKeys.idWorkerFloor(workerId));
	}

}
