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

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.id.IdGenerator;
import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Mints platform-wide ids from a worker slot leased in Redis, so no two live instances
 * share a worker id.
 *
 * <p>
 * <b>Floors.</b> Every holder of a slot promises, before it mints, the latest millisecond
 * it may mint in, twice: in Redis beside the lease (the later of its clock and its last
 * id, plus one lease, renewed every third of a lease), and durably in
 * {@link WorkerFloors} (its clock plus {@link #HORIZON}, renewed when less than three
 * quarters of it is left). It never mints an id above the smaller promise (the
 * <em>fence</em>); a new holder of the slot starts above the larger of the two recorded
 * floors. So a successor never repeats an id of its predecessor — after a crash (the
 * Redis floor) and after Redis restarted empty (the durable floor) alike, even with a
 * clock that runs behind. On a clean release both floors are settled at the last
 * millisecond really used; after a crash the successor starts up to one horizon ahead of
 * its clock.
 *
 * <p>
 * <b>Losing the lease.</b> When a renewal finds the lease gone (Redis restarted empty, or
 * the lease lapsed and another instance took the slot) the holder drops it at once and
 * leases a slot again, on the renewal thread, every {@link #RENEW_EVERY} until it
 * succeeds. Meanwhile, and while Redis can't be reached for a whole lease,
 * {@link #next()} answers a 503 problem rather than risk a duplicate, and the
 * {@code idWorker} health component is DOWN (issue 14). After Redis lost its data, a new
 * holder's ids run up to {@link #HORIZON} ahead of its clock until the clock catches up.
 *
 * <p>
 * <b>Why not a Redisson lock</b> (issue 20). An {@code RLock} per slot would give the
 * mutual exclusion but not the two things this lease exists for: the floor is written in
 * the same script as each renewal (a successor reads the floor in the same step that
 * takes the slot), and minting stops by this process's own clock
 * ({@code validUntilNanos}, the fence) when renewals fail. The watchdog renews in the
 * background and tells its holder nothing, so a holder paused past its lease, or cut off
 * from Redis, would go on minting ids a successor may also mint. This is the "fenced
 * lease" case; the other leases (binlog sync, reconciliation) are
 * {@link dev.feedplatform.runtime.lock.Leadership} on {@code RLock}.
 */
public class LeasedIdGenerator implements DisposableBean, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(LeasedIdGenerator.class);

	/**
	 * How long a dead instance blocks its slot. Short enough that 64 slots don't run out
	 * on restarts.
	 */
	static final Duration LEASE = Duration.ofSeconds(30);

	/**
	 * Renew three times per lease, so two failed renewals in a row still leave the lease
	 * intact.
	 */
	static final Duration RENEW_EVERY = LEASE.dividedBy(3);

	/**
	 * The durable promise: how long minting goes on while {@link WorkerFloors} can't be
	 * written.
	 */
	static final Duration HORIZON = Duration.ofSeconds(60);

	// KEYS[1] lease, KEYS[2] floor (same hash tag); ARGV token, ttl ms.
	private static final RedisScript<Long> ACQUIRE = RedisScript.of("""
			if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
			  return tonumber(redis.call('GET', KEYS[2]) or '0')
			end
			return -1""", Long.class);

	// ARGV token, ttl ms, floor ms. The floor only rises.
	private static final RedisScript<Long> RENEW = RedisScript.of("""
			if redis.call('GET', KEYS[1]) == ARGV[1] then
			  redis.call('PEXPIRE', KEYS[1], ARGV[2])
			  if tonumber(redis.call('GET', KEYS[2]) or '0') < tonumber(ARGV[3]) then
			    redis.call('SET', KEYS[2], ARGV[3])
			  end
			  return 1
			end
			return 0""", Long.class);

	// ARGV token, unused, floor ms: the exact last millisecond used, which may lower the
	// promise.
	private static final RedisScript<Long> RELEASE = RedisScript.of("""
			if redis.call('GET', KEYS[1]) == ARGV[1] then
			  redis.call('SET', KEYS[2], ARGV[3])
			  return redis.call('DEL', KEYS[1])
			end
			return 0""", Long.class);

	/**
	 * One holding of one slot; replaced whole so {@link #next()} reads a consistent view.
	 */
	private record Lease(int workerId, String token, IdGenerator generator, long validUntilNanos, long redisFloorMs,
			long durableFloorMs) {

		long fenceMs() {
			return Math.min(this.redisFloorMs, this.durableFloorMs);
		}

	}

	private final StringRedisTemplate redis;

	private final WorkerFloors floors;

	private final long leaseMs;

	private final long horizonMs;

	private final AtomicBoolean released = new AtomicBoolean();

	private final ScheduledExecutorService renewer;

	private volatile Lease lease;

	public LeasedIdGenerator(StringRedisTemplate redis, WorkerFloors floors) {
		this(redis, floors, LEASE, HORIZON);
	}

	/** Shorter leases and horizons for tests; the lease is renewed every third of it. */
	LeasedIdGenerator(StringRedisTemplate redis, WorkerFloors floors, Duration lease, Duration horizon) {
		this.redis = redis;
		this.floors = floors;
		this.leaseMs = lease.toMillis();
		this.horizonMs = horizon.toMillis();
		if (!acquire()) {
			throw new IllegalStateException("all " + IdGenerator.MAX_WORKERS + " id worker slots are leased");
		}
		this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "id-worker-lease");
			t.setDaemon(true);
			return t;
		});
		long every = this.leaseMs / 3;
		this.renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
	}

	/**
	 * The next id.
	 * @throws Problem 503 while this instance holds no valid lease, or its promised floor
	 * is used up
	 */
	public long next() {
		Lease held = this.lease;
		if (held == null || this.released.get() || System.nanoTime() - held.validUntilNanos() > 0) {
			throw Problem
				.unavailable("id minting is paused: no id worker lease (Redis unreachable or restarting); try again");
		}
		long id = held.generator().next();
		if (IdGenerator.epochMsOf(id) > held.fenceMs()) {
			throw Problem.unavailable("id minting is paused: the worker floor could not be recorded; try again");
		}
		return id;
	}

	/** The slot held now, or -1 while none is. */
	public int workerId() {
		Lease held = this.lease;
		return held == null ? -1 : held.workerId();
	}

	/**
	 * Whether {@link #next()} can mint right now: what the {@code idWorker} health
	 * component shows.
	 */
	public boolean minting() {
		Lease held = this.lease;
		return held != null && !this.released.get() && System.nanoTime() - held.validUntilNanos() < 0
				&& held.generator().lastUsedEpochMs() < held.fenceMs();
	}

	/**
	 * Leases a free slot, records both floors, and starts minting above them; false if
	 * none could be had.
	 */
	private boolean acquire() {
		int start = (int) (Math.random() * IdGenerator.MAX_WORKERS);
		for (int i = 0; i < IdGenerator.MAX_WORKERS; i++) {
			int slot = (start + i) % IdGenerator.MAX_WORKERS;
			long started = System.nanoTime();
			String token = UUID.randomUUID().toString();
			Long redisFloor = this.redis.execute(ACQUIRE, keys(slot), token, Long.toString(this.leaseMs));
			if (redisFloor == null || redisFloor < 0) {
				continue;
			}
			try {
				long floor = Math.max(redisFloor, this.floors.read(slot));
				IdGenerator generator = new IdGenerator(slot, floor, System::currentTimeMillis);
				long now = System.currentTimeMillis();
				long durable = Math.max(floor, now) + this.horizonMs;
				this.floors.raise(slot, durable);
				long promised = Math.max(floor, now) + this.leaseMs;
				Long ok = this.redis.execute(RENEW, keys(slot), token, Long.toString(this.leaseMs),
						Long.toString(promised));
				if (ok == null || ok != 1) {
					continue;
				}
				this.lease = new Lease(slot, token, generator, started + this.leaseMs * 1_000_000, promised, durable);
				log.info("leased id worker slot {} (minting above {})", slot, floor);
				return true;
			}
			catch (RuntimeException ex) {
				// The durable floor can't be read or written: give the slot back and fail
				// this attempt.
				log.warn("could not record the floor of id worker slot {}: {}", slot, ex.toString());
				this.redis.execute(RELEASE, keys(slot), token, "0", Long.toString(redisFloor));
				return false;
			}
		}
		return false;
	}

	private void renew() {
		if (this.released.get()) {
			return;
		}
		Lease held = this.lease;
		try {
			if (held == null) {
				if (!acquire()) {
					log.warn("still no id worker slot; minting stays paused");
				}
				return;
			}
			long started = System.nanoTime();
			long now = System.currentTimeMillis();
			long lastUsed = held.generator().lastUsedEpochMs();
			long durable = held.durableFloorMs();
			if (durable - Math.max(now, lastUsed) < this.horizonMs * 3 / 4) {
				try {
					long raised = Math.max(lastUsed, now) + this.horizonMs;
					this.floors.raise(held.workerId(), raised);
					durable = raised;
				}
				catch (RuntimeException ex) {
					log.warn("could not record the durable floor of id worker slot {}: {}", held.workerId(),
							ex.toString());
				}
			}
			long promised = Math.max(lastUsed, now) + this.leaseMs;
			Long ok = this.redis.execute(RENEW, keys(held.workerId()), held.token(), Long.toString(this.leaseMs),
					Long.toString(promised));
			if (ok != null && ok == 1) {
				this.lease = new Lease(held.workerId(), held.token(), held.generator(),
						started + this.leaseMs * 1_000_000, promised, durable);
				return;
			}
			log.error(
					"id worker slot {} lost its lease (Redis restarted empty, or it lapsed and another instance took the slot); leasing again",
					held.workerId());
			this.lease = null;
			if (!acquire()) {
				log.warn("no id worker slot free yet; minting stays paused");
			}
		}
		catch (RuntimeException ex) {
			log.warn("could not renew id worker lease {}: {}", held == null ? -1 : held.workerId(), ex.toString());
		}
	}

	/**
	 * Releases the slot when the context closes, in the lifecycle phase just before the
	 * Redis client's ({@code LettuceConnectionFactory}, phase 0), after the web server's
	 * graceful shutdown, the gateway's and the message consumers' (phase 2): released any
	 * later, the release found the client stopped and only logged a warning (the slot was
	 * free again after one lease). Not pauseable: Spring's test framework pauses idle
	 * contexts, and a paused generator must keep its lease. A stop is for good: the
	 * platform's contexts are closed after it, never started again (a {@code start()}
	 * takes no new lease, and minting stays refused).
	 */
	@Override
	public void stop() {
		destroy();
	}

	@Override
	public void start() {
		// The lease is taken at construction and renewed by its own timer.
	}

	@Override
	public boolean isRunning() {
		return !this.released.get();
	}

	@Override
	public int getPhase() {
		return 1;
	}

	@Override
	public boolean isPauseable() {
		return false;
	}

	/**
	 * Releases the slot (idempotent: at the latest when the bean is destroyed, if the
	 * context never ran its lifecycle stop). When the Redis client has already stopped,
	 * the release fails and the slot is simply free again after one lease.
	 */
	@Override
	public void destroy() {
		if (!this.released.compareAndSet(false, true)) {
			return;
		}
		this.renewer.shutdownNow();
		Lease held = this.lease;
		if (held == null) {
			return;
		}
		// A next() that passed its check just before the release may still mint: settle a
		// second
		// past the last id read here, which covers it.
		long lastUsed = Math.max(held.generator().lastUsedEpochMs(), System.currentTimeMillis()) + 1_000;
		// Only with seconds of lease left, and only if the durable floor is still this
		// holder's own
		// promise (compare-and-set): a successor's raise is never undone.
		if (held.validUntilNanos() - System.nanoTime() > 5_000_000_000L)
			try {
				this.floors.settle(held.workerId(), held.durableFloorMs(), Math.min(lastUsed, held.durableFloorMs()));
			}
			catch (RuntimeException ex) {
				log.warn("could not settle the durable floor of id worker slot {}: {}", held.workerId(), ex.toString());
			}
		try {
			this.redis.execute(RELEASE, keys(held.workerId()), held.token(), "0",
					Long.toString(Math.min(lastUsed, held.redisFloorMs())));
		}
		catch (RuntimeException ex) {
			log.warn("could not release id worker lease {}: {}", held.workerId(), ex.toString());
		}
	}

	private static List<String> keys(int workerId) {
		return List.of(RedisKeys.idWorker(workerId), RedisKeys.idWorkerFloor(workerId));
	}

}
