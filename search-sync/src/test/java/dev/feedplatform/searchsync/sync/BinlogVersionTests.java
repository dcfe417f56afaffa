package dev.feedplatform.searchsync.sync;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Versions order writes the way MariaDB committed them, across rotations, offsets and
 * rows; a snapshot sits just below its position.
 */
class BinlogVersionTests {

	@Test
	void aLaterFileWinsOverAnyOffsetOfAnEarlierOne() {
		assertThat(BinlogVersion.of("mysql-bin.000002", 4, 0))
			.isGreaterThan(BinlogVersion.of("mysql-bin.000001", (1L << 35) - 1, 255));
	}

	@Test
	void withinAFileTheOffsetThenTheRowOrders() {
		assertThat(BinlogVersion.of("mysql-bin.000001", 101, 0))
			.isGreaterThan(BinlogVersion.of("mysql-bin.000001", 100, 255));
		assertThat(BinlogVersion.of("mysql-bin.000001", 100, 2))
			.isGreaterThan(BinlogVersion.of("mysql-bin.000001", 100, 1));
		// Rows past 255 of one event share the last slot rather than spill into the
		// offset.
		assertThat(BinlogVersion.of("mysql-bin.000001", 100, 1000))
			.isEqualTo(BinlogVersion.of("mysql-bin.000001", 100, 255))
			.isLessThan(BinlogVersion.of("mysql-bin.000001", 101, 0));
	}

	@Test
	void aSnapshotIsBelowTheEventAtItsPositionAndAboveEverythingBefore() {
		long snapshot = BinlogVersion.snapshot("mysql-bin.000003", 5000);
		assertThat(snapshot).isLessThan(BinlogVersion.of("mysql-bin.000003", 5000, 0));
		// An event is at least its 19-byte header long, so the one before the position
		// starts at 4981 or earlier.
		assertThat(snapshot).isGreaterThan(BinlogVersion.of("mysql-bin.000003", 5000 - 19, 255));
	}

	@Test
	void versionsArePositiveUpToAMillionRotations() {
		assertThat(BinlogVersion.of("mysql-bin.999999", (1L << 35) - 1, 255)).isPositive();
	}

	@Test
	void aNameWithoutASequenceIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> BinlogVersion.of("mysql-bin", 4, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> BinlogVersion.of("mysql-bin.", 4, 0));
	}

}
