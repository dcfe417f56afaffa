package dev.feedplatform.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of the machine's processes that take part in a benchmark, by role (the
 * platform's JVM, the viewers' JVM, MariaDB, Redis, the broker, ...), read from
 * {@code /proc/<pid>/stat}: where a run's CPU went, so a figure far from its goal says
 * which part to blame. Linux only; elsewhere the map is empty.
 */
final class ProcessCpu {

	/** Roles and what their command line contains, first match wins. */
	private static final Map<String, String> ROLES = new LinkedHashMap<>();

	static {
		ROLES.put("viewers' JVM", "dev.feedplatform.bench.ViewerLoad");
		ROLES.put("platform JVM (+ bench clients)", "dev.feedplatform.bench.Benchmarks");
		ROLES.put("MariaDB", "mariadbd");
		ROLES.put("Redis", "redis-server");
		ROLES.put("RocketMQ broker", "LocalBroker");
		ROLES.put("RocketMQ NameServer", "LocalNameServer");
		ROLES.put("Canal server", "LocalCanalServer");
		ROLES.put("search node", "LocalSearchNode");
	}

	private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

	private ProcessCpu() {
	}

	/**
	 * The machine's idle share of all its cores over {@code millis} (0..1; NaN off
	 * Linux), from {@code /proc/stat}: printed above the figures so a run on a busy
	 * machine is told apart from a regression (issue 19).
	 */
	static double machineIdle(long millis) {
		try {
			long[] before = cpuTimes();
			Thread.sleep(millis);
			long[] after = cpuTimes();
			long total = after[0] - before[0];
			return total <= 0 ? Double.NaN : (double) (after[1] - before[1]) / total;
		}
		catch (java.io.IOException | RuntimeException ex) {
			return Double.NaN;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Double.NaN;
		}
	}

	/** All jiffies and idle + iowait jiffies, from the aggregate "cpu" line. */
	private static long[] cpuTimes() throws java.io.IOException {
		String line = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0);
		String[] fields = line.trim().split("\\s+");
		long total = 0;
		for (int i = 1; i < fields.length && i <= 8; i++) {
			total += Long.parseLong(fields[i]);
		}
		return new long[] { total, Long.parseLong(fields[4]) + Long.parseLong(fields[5]) };
	}

	/** CPU-seconds used so far by each role's processes. */
	static Map<String, Double> snapshot() {
		Map<String, Double> seconds = new LinkedHashMap<>();
		ProcessHandle.allProcesses().forEach(process -> {
			String command = commandLine(process.pid());
			for (Map.Entry<String, String> role : ROLES.entrySet()) {
				if (command.contains(role.getValue())) {
					seconds.merge(role.getKey(), cpuSeconds(process.pid()), Double::sum);
					return;
				}
			}
		});
		return seconds;
	}

	/**
	 * Per role, CPU-seconds per second of wall time between two snapshots, busiest first.
	 */
	static String between(Map<String, Double> before, Map<String, Double> after, double wallSeconds) {
		StringBuilder out = new StringBuilder();
		double total = 0;
		var rows = after.entrySet()
			.stream()
			.map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0.0)) / wallSeconds))
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.toList();
		for (var row : rows) {
			total += row.getValue();
			out.append(out.isEmpty() ? "" : ", ")
				.append(row.getKey())
				.append(' ')
				.append(String.format("%.2f", row.getValue()));
		}
		return String.format("%.2f", total) + " cores: " + out;
	}

	private static String commandLine(long pid) {
		try {
			return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ');
		}
		catch (IOException | RuntimeException gone) {
			return "";
		}
	}

	private static double cpuSeconds(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// Fields after the command (which may hold spaces) in parentheses; utime and
			// stime are 14th and 15th.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
		}
		catch (IOException | RuntimeException gone) {
			return 0;
		}
	}

}
