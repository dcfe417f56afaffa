package dev.feedplatform.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the logs said while a phase was stuck (a probe that never saw fan-out or counts
 * come back): the app's warnings and errors, and the RocketMQ client's (it logs to
 * {@code ~/logs/rocketmqlogs/tools_default.log}, in UTC+8), each kind once with how
 * often, so a stall that happens only on a slow CI machine leaves its cause in the run's
 * output.
 */
final class Diagnosis {

	private static final Pattern APP_LINE = Pattern.compile(
			"^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z)\\s+(WARN|ERROR)\\s.*?\\]\\s+(\\S+)\\s+:\\s+(.*)$");

	private static final Pattern CLIENT_LINE = Pattern
		.compile("^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)\\s+(WARN|ERROR)\\s+(\\S+)\\s+-\\s+(.*)$");

	private static final DateTimeFormatter CLIENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	private static final int KINDS = 25;

	private Diagnosis() {
	}

	/**
	 * The app's and the RocketMQ client's warnings between {@code from} and {@code to},
	 * grouped.
	 */
	static String between(Path root, Instant from, Instant to) {
		StringBuilder out = new StringBuilder();
		out.append("app warnings ").append(from).append(" .. ").append(to).append(":\n");
		group(root.resolve(".run/logs/app.out"), APP_LINE, from, to, true)
			.forEach((kind, n) -> out.append("  ").append(n).append("× ").append(kind).append('\n'));
		out.append("RocketMQ client warnings:\n");
		group(Path.of(System.getProperty("user.home"), "logs", "rocketmqlogs", "tools_default.log"), CLIENT_LINE, from,
				to, false)
			.forEach((kind, n) -> out.append("  ").append(n).append("× ").append(kind).append('\n'));
		return out.toString();
	}

	private static Map<String, Integer> group(Path log, Pattern line, Instant from, Instant to, boolean iso) {
		Map<String, Integer> kinds = new LinkedHashMap<>();
		List<String> lines;
		try {
			lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
		}
		catch (IOException | RuntimeException unreadable) {
			return Map.of("(" + log + " unreadable: " + unreadable + ")", 1);
		}
		for (String text : lines) {
			Matcher m = line.matcher(text);
			if (!m.matches()) {
				continue;
			}
			Instant at = iso ? Instant.parse(m.group(1))
					: LocalDateTime.parse(m.group(1), CLIENT_TIME).toInstant(ZoneOffset.ofHours(8));
			if (at.isBefore(from.minusSeconds(1)) || at.isAfter(to.plusSeconds(1))) {
				continue;
			}
			// One kind per logger and message shape: ids and numbers don't make a new
			// kind.
			String kind = m.group(2) + " " + m.group(3) + ": " + m.group(4).replaceAll("\\d+", "#");
			kind = kind.length() > 220 ? kind.substring(0, 220) + "…" : kind;
			if (kinds.containsKey(kind) || kinds.size() < KINDS) {
				kinds.merge(kind, 1, Integer::sum);
			}
		}
		return kinds;
	}

}
