package dev.feedplatform.bench;

import org.springframework.boot.SpringApplication;

/**
 * A second platform instance in its own JVM, for the search benchmark to SIGKILL while it
 * runs the sync.
 */
public final class SyncWorkerMain {

	private SyncWorkerMain() {
	}

	public static void main(String[] args) {
		new SpringApplication(BenchApplication.class).run(args);
	}

}
