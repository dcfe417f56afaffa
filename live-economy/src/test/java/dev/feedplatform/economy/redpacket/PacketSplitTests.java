package dev.feedplatform.economy.redpacket;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class PacketSplitTests {

	@Test
	void everyPacketHoldsAtLeastOneAndTheySumToTheTotal() {
		SplittableRandom random = new SplittableRandom(17);
		for (int run = 0; run < 20_000; run++) {
			int count = 1 + random.nextInt(200);
			long total = count + random.nextLong(100_000);
			long[] packets = PacketSplit.split(total, count, random);
			assertThat(packets).hasSize(count);
			assertThat(Arrays.stream(packets).min().orElseThrow()).isGreaterThanOrEqualTo(1);
			assertThat(Arrays.stream(packets).sum()).isEqualTo(total);
		}
		assertThat(PacketSplit.split(7, 7, random)).containsOnly(1);
		assertThat(PacketSplit.split(5, 1, random)).containsExactly(5);
	}

	/**
	 * No position is favoured: over many splits each packet's mean is the average, the
	 * first and the last alike.
	 */
	@Test
	void theSplitIsFairAcrossPositions() {
		SplittableRandom random = new SplittableRandom(42);
		int count = 10;
		long total = 10_000;
		int runs = 200_000;
		double[] sums = new double[count];
		for (int run = 0; run < runs; run++) {
			long[] packets = PacketSplit.split(total, count, random);
			long rest = total;
			for (int i = 0; i < count; i++) {
				sums[i] += packets[i];
				if (i < count - 1) {
					// Double average: below twice the average of what was left (the last
					// takes the rest).
					assertThat(packets[i]).isLessThan(2 * rest / (count - i));
				}
				rest -= packets[i];
			}
		}
		for (int i = 0; i < count; i++) {
			assertThat(sums[i] / runs).as("mean of packet %d", i)
				.isCloseTo(total / (double) count, within(total / (double) count * 0.02));
		}
	}

	@Test
	void aBudgetSmallerThanItsPacketsIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> PacketSplit.split(3, 4, new SplittableRandom()));
		assertThatIllegalArgumentException().isThrownBy(() -> PacketSplit.split(3, 0, new SplittableRandom()));
	}

}
