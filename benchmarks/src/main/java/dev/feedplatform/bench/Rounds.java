package dev.feedplatform.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads measured in interleaved rounds — A, B, C, then B, C, A — so a machine that slows down
 * or speeds up mid-run (JIT, another process, CPU frequency) affects each path alike. A figure is
 * the median of its rounds with the spread (lowest–highest) beside it, and a ratio is the median of
 * the per-round ratios, so a reader can tell a regression from noise (issue 19).
 * {@code -Dfeed.bench.rounds=N} sets the rounds (3 by default).
 */
final class Rounds {

	static final int ROUNDS = Integer.getInteger("feed.bench.rounds", 3);

	private final Map<String, List<TimelineReadBench.Load>> loads = new LinkedHashMap<>();

	private Rounds() {
	}

	/** Each path under load by {@code clients} clients, the paths in turn, {@link #ROUNDS} times. */
	static Rounds interleaved(int clients, Map<String, Runnable> paths) {
		Rounds rounds = new Rounds();
		List<String> names = new ArrayList<>(paths.keySet());
		for (int round = 0; round < ROUNDS; round++) {
			// Rotated each round: no path always runs right after the same other one.
			for (int i = 0; i < names.size(); i++) {
				String name = names.get((i + round) % names.size());
				rounds.loads.computeIfAbsent(name, n -> new ArrayList<>()).add(TimelineReadBench.load(clients, paths.get(name)));
			}
		}
		return rounds;
	}

	double medianPerSecond(String path) {
		return median(this.loads.get(path).stream().map(TimelineReadBench.Load::perSecond).toList());
	}

	/** "1,234 /s (1,100–1,300)": the median and the spread of the rounds. */
	String perSecond(String path) {
		List<Double> values = this.loads.get(path).stream().map(TimelineReadBench.Load::perSecond).toList();
		return Report.num(median(values), "/s") + " (" + Report.num(min(values), "") + "–" + Report.num(max(values), "") + ")";
	}

	/** The median of the per-round ratios {@code path / baseline}. */
	double medianRatio(String path, String baseline) {
		return median(ratios(path, baseline));
	}

	/** "0.56× (0.50–0.61×)". */
	String ratio(String path, String baseline) {
		List<Double> values = ratios(path, baseline);
		return Report.ratio(median(values)) + " (" + String.format(java.util.Locale.ROOT, "%.2f", min(values)) + "–" + Report.ratio(max(values)) + ")";
	}

	/** Every round's latencies together. */
	Latencies latencies(String path) {
		Latencies all = new Latencies();
		this.loads.get(path).forEach(load -> all.addAll(load.latencies()));
		return all;
	}

	/** "p50 / p99" over every round. */
	String percentiles(String path) {
		Latencies all = latencies(path);
		return Report.num(all.percentileMs(50), "ms") + " / " + Report.num(all.percentileMs(99), "ms");
	}

	private List<Double> ratios(String path, String baseline) {
		List<TimelineReadBench.Load> ours = this.loads.get(path);
		List<TimelineReadBench.Load> base = this.loads.get(baseline);
		List<Double> ratios = new ArrayList<>();
		for (int i = 0; i < ours.size(); i++) {
			ratios.add(ours.get(i).perSecond() / base.get(i).perSecond());
		}
		return ratios;
	}

	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int n = sorted.size();
		return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	private static double min(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
	}

	private static double max(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
	}

}
