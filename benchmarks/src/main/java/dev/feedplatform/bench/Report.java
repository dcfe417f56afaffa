package dev.feedplatform.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The figures of one run as a Markdown table: measured, baseline, ratio, goal. */
final class Report {

	private record Row(String section, String figure, String measured, String baseline, String ratio, String goal) {
	}

	private final List<Row> rows = new ArrayList<>();

	void add(String section, String figure, String measured, String baseline, String ratio, String goal) {
		this.rows.add(new Row(section, figure, measured, baseline, ratio, goal));
		System.out.printf(Locale.ROOT, "[bench] %-10s %-58s %s%s%s%n", section, figure, measured,
				baseline.isEmpty() ? "" : "  (baseline " + baseline + ")", ratio.isEmpty() ? "" : "  ratio " + ratio);
	}

	static String num(double value, String unit) {
		if (Double.isNaN(value)) {
			return "n/a";
		}
		String text = value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
		return unit.isEmpty() ? text : text + " " + unit;
	}

	static String ratio(double value) {
		return String.format(Locale.ROOT, "%.2f×", value);
	}

	String markdown(String header) {
		StringBuilder out = new StringBuilder(header).append("\n\n");
		out.append("| area | figure | measured | baseline (same run) | ratio | goal |\n");
		out.append("|---|---|---|---|---|---|\n");
		for (Row row : this.rows) {
			out.append("| ").append(String.join(" | ", row.section, row.figure, row.measured, row.baseline, row.ratio, row.goal)).append(" |\n");
		}
		return out.toString();
	}

	void write(Path file, String header) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, markdown(header));
	}

}
