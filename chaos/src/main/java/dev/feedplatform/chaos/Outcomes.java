package dev.feedplatform.chaos;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What clients saw, per phase of the run ("baseline", then each process's outage and
 * recovery): every HTTP attempt's status, or {@code io} when no answer came (connection
 * refused, reset, timed out). Thread-safe.
 */
final class Outcomes {

	private final Map<String, Map<String, LongAdder>> byPhase = new ConcurrentHashMap<>();

	private volatile String phase = "setup";

	void phase(String name) {
		this.phase = name;
	}

	String phase() {
		return this.phase;
	}

	void record(String outcome) {
		this.byPhase.computeIfAbsent(this.phase, p -> new ConcurrentHashMap<>())
			.computeIfAbsent(outcome, o -> new LongAdder())
			.increment();
	}

	/** Outcome → count for one phase, sorted. */
	Map<String, Long> of(String phase) {
		Map<String, Long> out = new TreeMap<>();
		this.byPhase.getOrDefault(phase, Map.of()).forEach((k, v) -> out.put(k, v.sum()));
		return out;
	}

	long count(String phase, String outcome) {
		LongAdder n = this.byPhase.getOrDefault(phase, Map.of()).get(outcome);
		return n == null ? 0 : n.sum();
	}

	long total(String phase) {
		return of(phase).values().stream().mapToLong(Long::longValue).sum();
	}

}
