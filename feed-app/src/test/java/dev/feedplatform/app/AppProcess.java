package dev.feedplatform.app;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Processes the crash tests start and kill: a second app instance in its own JVM, and the
 * platform script.
 */
final class AppProcess {

	private AppProcess() {
	}

	/**
	 * Starts {@link FeedApplication} in a JVM of its own on a free port, its output going
	 * to {@code log}.
	 */
	static Process start(Path log, String... arguments) throws Exception {
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(
				List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), FeedApplication.class.getName(),
						"--server.port=0", "--feed.gateway.port=0", "--spring.main.banner-mode=off"));
		command.addAll(List.of(arguments));
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.directory(new File("."))
			.start();
	}

	/**
	 * Waits (up to two minutes) for an app started by {@link #start} to be up; its HTTP
	 * port.
	 */
	static int httpPort(Path log) {
		java.util.regex.Pattern started = java.util.regex.Pattern.compile("Tomcat started on port (\\d+)");
		return org.awaitility.Awaitility.await()
			.atMost(java.time.Duration.ofSeconds(120))
			.pollInterval(java.time.Duration.ofMillis(500))
			.until(() -> {
				String output = java.nio.file.Files.readString(log);
				java.util.regex.Matcher m = started.matcher(output);
				return m.find() && output.contains("Started FeedApplication") ? Integer.parseInt(m.group(1)) : -1;
			}, port -> port > 0);
	}

	/**
	 * Runs {@code bin/platform} with the arguments (e.g. {@code stop-one canal}) and
	 * expects it to succeed.
	 */
	static void platform(String... arguments) throws Exception {
		Path script = Path.of(System.getenv().getOrDefault("FEED_ROOT", ".."), "bin", "platform").toAbsolutePath();
		List<String> command = new ArrayList<>(List.of("bash", script.toString()));
		command.addAll(List.of(arguments));
		Process p = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		assertThat(p.waitFor()).as("bin/platform " + String.join(" ", arguments)).isZero();
	}

}
