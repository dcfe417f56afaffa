package dev.feedplatform.economy;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.redisson.api.RLock;

/**
 * The economy's periodic sweeps (overdue recharges, undone gifts, PK timers) run on one
 * node at a time: each takes its Redisson lock without waiting, with a lease longer than
 * a sweep takes, and a node that finds it held skips this round. A failing sweep is
 * logged and tried next round.
 */
public final class Sweeps {

	private static final Logger log = LoggerFactory.getLogger(Sweeps.class);

	private Sweeps() {
	}

	public static void alone(RLock lock, long leaseSeconds, String what, Runnable sweep) {
		try {
			if (!lock.tryLock(0, leaseSeconds, TimeUnit.SECONDS)) {
				return;
			}
			try {
				sweep.run();
			}
			finally {
				lock.unlock();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			log.warn("{} sweep failed: {}", what, ex.toString());
		}
	}

}
