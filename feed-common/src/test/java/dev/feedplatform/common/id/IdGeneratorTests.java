package dev.feedplatform.common.id;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IdGeneratorTests {

	private static final long NOW = IdGenerator.EPOCH_MS + 300L * 24 * 3600 * 1000;

	@Test
	void idsIncreaseStrictlyEvenWithinOneMillisecondAndPastTheSequence() {
		IdGenerator ids = new IdGenerator(5, 0, () -> NOW);
		long previous = 0;
		// 1000 > 64 per millisecond: borrows later milliseconds
		for (int i = 0; i < 1000; i++) {
			long id = ids.next();
			assertThat(id).isGreaterThan(previous);
			previous = id;
		}
	}

	@Test
	void twoWorkersInTheSameMillisecondNeverCollide() {
		IdGenerator a = new IdGenerator(1, 0, () -> NOW);
		IdGenerator b = new IdGenerator(2, 0, () -> NOW);
		Set<Long> seen = new HashSet<>();
		for (int i = 0; i < 500; i++) {
			assertThat(seen.add(a.next())).isTrue();
			assertThat(seen.add(b.next())).isTrue();
		}
	}

	@Test
	void idsAreExactSortedSetScoresUntil2095() {
		long late = IdGenerator.EPOCH_MS + (1L << 41) - 1000;
		long id = new IdGenerator(IdGenerator.MAX_WORKERS - 1, 0, () -> late).next();
		assertThat(id).isLessThan(1L << 53);
		assertThat((long) (double) id).isEqualTo(id);
	}

	@Test
	void aClockSteppingBackNeverMakesIdsGoBackwards() {
		AtomicLong clock = new AtomicLong(NOW);
		IdGenerator ids = new IdGenerator(3, 0, clock::get);
		long before = ids.next();
		clock.addAndGet(-5_000);
		assertThat(ids.next()).isGreaterThan(before);
	}

	@Test
	void aNewHolderOfAWorkerSlotStartsAboveItsFloor() {
		IdGenerator old = new IdGenerator(7, 0, () -> NOW + 10_000);
		long oldId = old.next();
		// The new holder's clock is 10 s behind, but the slot's floor says where the old
		// one got to.
		IdGenerator fresh = new IdGenerator(7, old.lastUsedEpochMs(), () -> NOW);
		assertThat(fresh.next()).isGreaterThan(oldId);
	}

	@Test
	void idsEncodeTheirCreationTime() {
		long id = new IdGenerator(9, 0, () -> NOW).next();
		assertThat(IdGenerator.epochMsOf(id)).isEqualTo(NOW);
		assertThat(IdGenerator.smallestIdAt(NOW)).isLessThanOrEqualTo(id);
		assertThat(IdGenerator.smallestIdAt(NOW + 1)).isGreaterThan(id);
	}

	@Test
	void workerIdsOutsideTheRangeAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new IdGenerator(IdGenerator.MAX_WORKERS));
		assertThatIllegalArgumentException().isThrownBy(() -> new IdGenerator(-1));
	}

}
