package dev.feedplatform.bench;

import java.util.Arrays;

/** Recorded latencies in nanoseconds; thread-confined, merge after the run. */
final class Latencies {

	private long[] values = new long[1024];

	private int size;

	void record(long nanos) {
		if (this.size == this.values.length) {
			this.values = Arrays.copyOf(this.values, this.size * 2);
		}
		this.values[this.size++] = nanos;
	}

	void addAll(Latencies other) {
		for (int i = 0; i < other.size; i++) {
			record(other.values[i]);
		}
	}

	void clear() {
		this.size = 0;
	}

	int count() {
		return this.size;
	}

	/** The p-th percentile (0..100) in milliseconds. */
	double percentileMs(double p) {
		if (this.size == 0) {
			return Double.NaN;
		}
		long[] sorted = Arrays.copyOf(this.values, this.size);
		Arrays.sort(sorted);
		int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
	}

}
