package dev.feedplatform.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one run as a Markdown table (measured, baseline, ratio, goal) and two
 * PNG plots beside it ({@link Plots}): every row with a ratio is a bar of the throughput
 * plot, and every path given to {@link #plotLatency} a group of the latency plot.
 */
final class Report {

	private record Row(String section, String figure, String measured, String baseline, String ratio, String goal) {
	}

	private final List<Row> rows = new ArrayList<>();

	private final List<Plots.LatencyPoint> latencies = new ArrayList<>();

	private final List<Plots.RatioPoint> ratios = new ArrayList<>();

	private static final java.util.regex.Pattern LEADING_NUMBER = java.util.regex.Pattern
		.compile("^\\s*[≥≤]?\\s*([0-9]+(?:\\.[0-9]+)?)\\s*×");

	/** Adds a path's percentiles to the latency plot. */
	void plotLatency(String label, Latencies latencies) {
		if (latencies.count() > 0) {
			this.latencies.add(new Plots.LatencyPoint(label, latencies.percentileMs(50), latencies.percentileMs(90),
					latencies.percentileMs(99)));
		}
	}

	void add(String section, String figure, String measured, String baseline, String ratio, String goal) {
		this.rows.add(new Row(section, figure, measured, baseline, ratio, goal));
		java.util.regex.Matcher measuredRatio = LEADING_NUMBER.matcher(ratio);
		if (measuredRatio.find()) {
			java.util.regex.Matcher goalRatio = LEADING_NUMBER.matcher(goal);
			this.ratios.add(new Plots.RatioPoint(section + ": " + figure, Double.parseDouble(measuredRatio.group(1)),
					goalRatio.find() ? Double.parseDouble(goalRatio.group(1)) : Double.NaN));
		}
		System.out.printf(Locale.ROOT, "[bench] %-10s %-58s %s%s%s%n", section, figure, measured,
				baseline.isEmpty() ? "" : "  (baseline " + baseline + ")", ratio.isEmpty() ? "" : "  ratio " + ratio);
	}

	static String num(double value, String unit) {
		if (Double.isNaN(value)) {
			return "n/a";
		}
		String text = value >= 100 ? String.format(Locale.ROOT, "%,.0f", value)
				: String.format(Locale.ROOT, "%.2f", value);
		return unit.isEmpty() ? text : text + " " + unit;
	}

	/** "p50 / p99" of recorded latencies, in milliseconds. */
	static String percentiles(Latencies latencies) {
		return num(latencies.percentileMs(50), "ms") + " / " + num(latencies.percentileMs(99), "ms");
	}

	static String ratio(double value) {
		return String.format(Locale.ROOT, "%.2f×", value);
	}

	String markdown(String header) {
		StringBuilder out = new StringBuilder(header).append("\n\n");
		out.append("| area | figure | measured | baseline (same run) | ratio | goal |\n");
		out.append("|---|---|---|---|---|---|\n");
		for (Row row : this.rows) {
			out.append("| ")
				.append(String.join(" | ", row.section, row.figure, row.measured, row.baseline, row.ratio, row.goal))
				.append(" |\n");
		}
		return out.toString();
	}

	/**
	 * The table at {@code file}, the plots beside it ({@code bench-latency.png},
	 * {@code bench-throughput.png}).
	 */
	void write(Path file, String header) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, markdown(header));
		Plots.latency(file.resolveSibling("bench-latency.png"), this.latencies);
		Plots.ratios(file.resolveSibling("bench-throughput.png"), this.ratios);
	}

}
