package dev.feedplatform.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Reply;

/**
 * The platform under test, driven through the project's own launcher: {@code bin/platform
 * stop-one NAME} (kill -9) and {@code start-one NAME} (start it again and wait until it
 * is ready), and its health endpoint.
 */
final class Platform {

	private final Path root;

	private final Api api;

	Platform(Path root, Api api) {
		this.root = root;
		this.api = api;
	}

	void kill(String process) {
		run("stop-one", process);
	}

	/** Starts the process again; returns once the launcher says it is ready. */
	void start(String process) {
		run("start-one", process);
	}

	/**
	 * The overall health status ({@code UP}, {@code DEGRADED}, {@code DOWN}), or
	 * {@code unreachable}.
	 */
	String health() {
		try {
			Reply reply = this.api.get("/actuator/health", null);
			return reply.body().contains("\"status\"") ? reply.string("$.status") : "HTTP " + reply.status();
		}
		catch (RuntimeException ex) {
			return "unreachable";
		}
	}

	/** Waits until health is UP; the seconds it took, or -1 after {@code max}. */
	double awaitUp(Duration max) throws InterruptedException {
		long started = System.nanoTime();
		while (System.nanoTime() - started < max.toNanos()) {
			if ("UP".equals(health())) {
				return (System.nanoTime() - started) / 1e9;
			}
			Thread.sleep(250);
		}
		return -1;
	}

	private void run(String command, String process) {
		try {
			Process p = new ProcessBuilder(this.root.resolve("bin/platform").toString(), command, process)
				.directory(this.root.toFile())
				.redirectErrorStream(true)
				.redirectOutput(
						ProcessBuilder.Redirect.appendTo(this.root.resolve(".run/logs/chaos-launcher.out").toFile()))
				.start();
			if (p.waitFor() != 0) {
				throw new IllegalStateException("bin/platform " + command + " " + process + " failed (exit "
						+ p.exitValue() + "); see .run/logs/chaos-launcher.out");
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
