package dev.feedplatform.runtime.retry;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one retry policy for lost lock conflicts: what it retries, how often, and what it
 * gives up with.
 */
class LockConflictsTests {

	private final LockConflicts conflicts = new LockConflicts();

	@Test
	void aDeadlockVictimIsRunAgainUntilItSucceeds() {
		AtomicInteger attempts = new AtomicInteger();
		int rows = this.conflicts.retry(() -> {
			if (attempts.incrementAndGet() < 3) {
				throw new PessimisticLockingFailureException("Deadlock found when trying to get lock (1213)");
			}
			return 1;
		});
		assertThat(rows).isEqualTo(1);
		assertThat(attempts.get()).isEqualTo(3);
	}

	@Test
	void afterTheLastRetryTheLastConflictPropagatesForA503() {
		AtomicInteger attempts = new AtomicInteger();
		assertThatThrownBy(() -> this.conflicts.retry(() -> {
			throw new CannotAcquireLockException("Lock wait timeout exceeded (1205) #" + attempts.incrementAndGet());
		})).isInstanceOf(CannotAcquireLockException.class).hasMessageContaining("#" + (LockConflicts.RETRIES + 1));
		assertThat(attempts.get()).isEqualTo(LockConflicts.RETRIES + 1);
	}

	@Test
	void otherFailuresAreNotRetried() {
		AtomicInteger attempts = new AtomicInteger();
		assertThatThrownBy(() -> this.conflicts.retry(() -> {
			attempts.incrementAndGet();
			throw new DuplicateKeyException("Duplicate entry");
		})).isInstanceOf(DuplicateKeyException.class);
		assertThat(attempts.get()).isEqualTo(1);
	}

}
