package dev.feedplatform.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The whole platform in one process: every module's beans, one HTTP port, one set of
 * clients.
 */
@SpringBootApplication(scanBasePackages = "dev.feedplatform")
public class FeedApplication {

	public static void main(String[] args) {
		SpringApplication.run(FeedApplication.class, args);
	}

}
