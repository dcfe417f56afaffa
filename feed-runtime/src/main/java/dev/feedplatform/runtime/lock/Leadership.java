package dev.feedplatform.runtime.lock;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;

/**
 * A standing role that one instance holds at a time (the binlog sync of a Canal
 * destination, the counters' reconciliation), on a Redisson {@link RLock} kept alive by
 * Redisson's watchdog: the lock is renewed every third of the client's
 * {@code lockWatchdogTimeout} (10 s, see
 * {@link dev.feedplatform.runtime.redis.RedissonClients}) while this process lives, so a
 * holder that dies blocks the others for at most that long. Replaces the hand-written SET
 * NX / GET-then-EXPIRE leases (issue 20: the renew was a race).
 *
 * <p>
 * The lock belongs to this object, not to a thread: it is taken and checked with one
 * fixed owner number through Redisson's {@code threadId} overloads, so whichever
 * scheduler thread asks next still holds it. Redisson names an owner by its client's id
 * plus that number, so instances (one Redisson client each) never share an owner; two
 * {@code Leadership}s of one name on one client would, so there is one per role and
 * process. {@link #hold()} and {@link #release()} are serialized, so the lock is never
 * taken twice (re-entered) by this object.
 *
 * <p>
 * Not a fencing lock. After a lapse (a pause longer than the watchdog timeout, Redis
 * restarting empty, a partition) another instance may take the role while this one still
 * believes it holds it, until its next {@link #hold()}: that call finds the lock gone,
 * and takes it again only if it is free. Callers use a leadership only for work where
 * such an overlap costs repetition, not correctness (the sync's writes are versioned; the
 * reconciler corrects only what stayed wrong for its quiet period).
 */
public final class Leadership {

	/**
	 * The owner number this object takes the lock with: negative, so it is no real
	 * thread's id.
	 */
	private static final long OWNER = -1L;

	/** How long {@link #hold()} waits for Redis before it steps down. */
	private static final long ASK_TIMEOUT_MS = 5_000;

	private final RLock lock;

	public Leadership(RedissonClient redisson, String lockName) {
		this.lock = redisson.getLock(lockName);
	}

	/**
	 * True while this instance holds the role: already held, or taken now because it was
	 * free.
	 * @throws RuntimeException when Redis can't be asked (the caller should step down)
	 */
	public synchronized boolean hold() {
		if (this.lock.isHeldByThread(OWNER)) {
			return true;
		}
		CompletableFuture<Boolean> taking = this.lock.tryLockAsync(0, -1, TimeUnit.MILLISECONDS, OWNER)
			.toCompletableFuture();
		try {
			return taking.get(ASK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException | TimeoutException ex) {
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			// Don't keep a lock this call no longer reports: undo the take if it lands
			// late.
			taking.thenAccept(took -> {
				if (took) {
					this.lock.unlockAsync(OWNER);
				}
			});
			return false;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("could not take the lock " + this.lock.getName(), ex.getCause());
		}
	}

	/**
	 * Hands the role on at once instead of after the watchdog's timeout; a no-op when not
	 * held.
	 */
	public synchronized void release() {
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
