package dev.feedplatform.runtime.lock;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

/**
 * A standing role that one instance holds at a time (the binlog sync of a Canal destination, the
 * counters' reconciliation), on a Redisson {@link RLock} kept alive by Redisson's watchdog: the
 * lock is renewed every third of the client's {@code lockWatchdogTimeout} (10 s, see
 * {@link dev.feedplatform.runtime.redis.RedissonClients}) while this process lives, so a holder
 * that dies blocks the others for at most that long.
 *
 * <p>The lock belongs to this object, not to a thread: it is taken and checked with one fixed
 * owner id through Redisson's {@code threadId} overloads, so whichever scheduler thread asks next
 * still holds it. Redisson names an owner by its client's id plus that number, so two instances
 * never share an owner. When Redis loses the lock (a restart, a lapse after a long pause)
 * the watchdog stops, {@link #hold()} answers false and takes it again if it is free. Two holders
 * may overlap for a moment after such a lapse; callers only use a leadership for work where that
 * costs repetition, not correctness. Replaces the hand-written SET NX / GET-then-EXPIRE leases
 * (issue 20: the renew was a race).
 */
public final class Leadership {

	/** The owner id this object takes the lock with: negative, so it is no real thread's id. */
	private static final long OWNER = -1L;

	private final RLock lock;

	public Leadership(RedissonClient redisson, String lockName) {
		this.lock = redisson.getLock(lockName);
	}

	/**
	 * True while this instance holds the role: already held, or taken now because it was free.
	 * @throws RuntimeException when Redis can't be asked (the caller should step down)
	 */
	public boolean hold() {
		if (this.lock.isHeldByThread(OWNER)) {
			return true;
		}
		try {
			return this.lock.tryLockAsync(0, -1, TimeUnit.MILLISECONDS, OWNER).toCompletableFuture().get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("could not take the lock " + this.lock.getName(), ex.getCause());
		}
	}

	/** Hands the role on at once instead of after the watchdog's timeout; a no-op when not held. */
	public void release() {
		try {
			if (this.lock.isHeldByThread(OWNER)) {
				this.lock.unlockAsync(OWNER).toCompletableFuture().get(3, TimeUnit.SECONDS);
			}
		}
		catch (Exception ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			// The lock lapses on its own once the watchdog stops with this process.
		}
	}

}
