package dev.feedplatform.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads measured in interleaved rounds — A, B, C, then B, C, A — so a machine that slows
 * down or speeds up mid-run (JIT, another process, CPU frequency) affects each path
 * alike. A figure is the median of its rounds with the spread (lowest–highest) beside it,
 * and a ratio is the median of the per-round ratios, so a reader can tell a regression
 * from noise (issue 19). {@code -Dfeed.bench.rounds=N} sets the rounds (3 by default).
 */
final class Rounds {

	static final int ROUNDS = Integer.getInteger("feed.bench.rounds", 3);

	private final Map<String, List<TimelineReadBench.Load>> loads = new LinkedHashMap<>();

	private Rounds() {
	}

	/**
	 * Each path under load by {@code clients} clients, the paths in turn, {@link #ROUNDS}
	 * times.
	 */
	static Rounds interleaved(int clients, Map<String, Runnable> paths) {
		Rounds rounds = new Rounds();
		List<String> names = new ArrayList<>(paths.keySet());
		for (int round = 0; round < ROUNDS; round++) {
			// Rotated each round: no path always runs right after the same other one.
			for (int i = 0; i < names.size(); i++) {
				String name = names.get((i + round) % names.size());
				rounds.loads.computeIfAbsent(name, n -> new ArrayList<>())
					.add(TimelineReadBench.load(clients, paths.get(name)));
			}
		}
		return rounds;
	}

	/** "1,234 /s (1,100–1,300)": the median and the spread of the rounds. */
	String perSecond(String path) {
		return spread(this.loads.get(path).stream().map(TimelineReadBench.Load::perSecond).toList(), "/s");
	}

	/**
	 * "0.56× (0.50–0.61×)": the median of the per-round ratios {@code path / baseline},
	 * and their spread.
	 */
	String ratio(String path, String baseline) {
		return ratioSpread(ratios(path, baseline));
	}

	/**
	 * "1,234 unit (1,100–1,300)": a figure's median over rounds and its lowest and
	 * highest.
	 */
	static String spread(List<Double> values, String unit) {
		return Report.num(median(values), unit) + " (" + Report.num(min(values), "") + "–" + Report.num(max(values), "")
				+ ")";
	}

	/** "0.56× (0.50–0.61×)": per-round ratios' median and spread. */
	static String ratioSpread(List<Double> ratios) {
		return Report.ratio(median(ratios)) + " (" + String.format(java.util.Locale.ROOT, "%.2f", min(ratios)) + "–"
				+ Report.ratio(max(ratios)) + ")";
	}

	/** Every round's latencies together. */
	Latencies latencies(String path) {
		Latencies all = new Latencies();
		this.loads.get(path).forEach(load -> all.addAll(load.latencies()));
		return all;
	}

	/** "p50 / p99" over every round. */
	String percentiles(String path) {
		return Report.percentiles(latencies(path));
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
