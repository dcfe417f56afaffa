package dev.feedplatform.economy.redpacket;

import java.util.random.RandomGenerator;

/**
 * Splits a rain's budget into packets (seed 001 红包雨) by the double-average method: each
 * packet draws uniformly from 1 to twice the average of what is left, capped so every
 * later packet can still get 1; the last takes the rest. Every packet is ≥ 1, they sum to
 * the total exactly, and every position has the same expected amount (total / count) —
 * tested for skew over many splits. Integers only (coins).
 */
final class PacketSplit {

	private PacketSplit() {
	}

	/**
	 * @param total coins to split, ≥ {@code count}
	 * @param count packets, ≥ 1
	 */
	static long[] split(long total, int count, RandomGenerator random) {
		if (count < 1 || total < count) {
			throw new IllegalArgumentException("cannot split " + total + " into " + count + " packets of at least 1");
		}
		long[] packets = new long[count];
		long rest = total;
		for (int i = 0; i < count - 1; i++) {
			int left = count - i;
			// twice the average, and leave 1 for each after
			long most = Math.min(2 * rest / left - 1, rest - (left - 1));
			long amount = most <= 1 ? 1 : 1 + random.nextLong(most);
			packets[i] = amount;
			rest -= amount;
		}
		packets[count - 1] = rest;
		return packets;
	}

}
