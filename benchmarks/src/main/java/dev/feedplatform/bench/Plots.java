package dev.feedplatform.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.ChartFactory;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The report's two PNG plots, drawn by JFreeChart next to the Markdown table (issue 19):
 * latency percentiles of each measured path (log scale, milliseconds) and each throughput
 * figure as a multiple of its same-run baseline beside its goal.
 */
final class Plots {

	/** One path's latency percentiles, in milliseconds. */
	record LatencyPoint(String label, double p50, double p90, double p99) {
	}

	/** A throughput figure over its baseline, and the goal (NaN: none). */
	record RatioPoint(String label, double ratio, double goal) {
	}

	private static final int WIDTH = 1400;

	private Plots() {
	}

	static void latency(Path file, List<LatencyPoint> points) throws IOException {
		if (points.isEmpty()) {
			return;
		}
		DefaultCategoryDataset data = new DefaultCategoryDataset();
		for (LatencyPoint point : points) {
			data.addValue(point.p50(), "p50", shorten(point.label()));
			data.addValue(point.p90(), "p90", shorten(point.label()));
			data.addValue(point.p99(), "p99", shorten(point.label()));
		}
		JFreeChart chart = ChartFactory.createBarChart("Latency percentiles (ms, log scale)", null, "ms", data,
				PlotOrientation.HORIZONTAL, true, false, false);
		CategoryPlot plot = chart.getCategoryPlot();
		LogAxis axis = new LogAxis("ms");
		axis.setSmallestValue(0.5);
		axis.setBase(10);
		axis.setStandardTickUnits(NumberAxis.createStandardTickUnits());
		axis.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.#"));
		plot.setRangeAxis(axis);
		style(plot, new Color(0x4C78A8), new Color(0xF58518), new Color(0xE45756));
		ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, 120 + 42 * points.size());
	}

	static void ratios(Path file, List<RatioPoint> points) throws IOException {
		if (points.isEmpty()) {
			return;
		}
		DefaultCategoryDataset data = new DefaultCategoryDataset();
		for (RatioPoint point : points) {
			data.addValue(point.ratio(), "measured ÷ same-run baseline", shorten(point.label()));
			data.addValue(Double.isNaN(point.goal()) ? null : point.goal(), "goal", shorten(point.label()));
		}
		JFreeChart chart = ChartFactory.createBarChart("Throughput against the same-run baseline (×, log scale)", null,
				"×", data, PlotOrientation.HORIZONTAL, true, false, false);
		// Log scale: ratios run from 0.1× to 25×, and 0.3× against a 0.5× goal must stay
		// readable.
		LogAxis axis = new LogAxis("× the baseline");
		axis.setSmallestValue(0.05);
		axis.setBase(10);
		axis.setStandardTickUnits(NumberAxis.createStandardTickUnits());
		axis.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.##"));
		chart.getCategoryPlot().setRangeAxis(axis);
		style(chart.getCategoryPlot(), new Color(0x4C78A8), new Color(0xBAB0AC));
		ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, 120 + 34 * points.size());
	}

	private static void style(CategoryPlot plot, Color... series) {
		plot.setBackgroundPaint(Color.WHITE);
		// long figure names: give them half the width
		plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.45f);
		plot.getDomainAxis().setMaximumCategoryLabelLines(2);
		plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
		BarRenderer renderer = (BarRenderer) plot.getRenderer();
		renderer.setBarPainter(new StandardBarPainter());
		renderer.setShadowVisible(false);
		renderer.setItemMargin(0.05);
		for (int i = 0; i < series.length; i++) {
			renderer.setSeriesPaint(i, series[i]);
		}
	}

	private static String shorten(String label) {
		return label.length() <= 110 ? label : label.substring(0, 107) + "…";
	}

}
