package dev.feedplatform.bench;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The whole platform, as the feed app assembles it, plus the benchmark's baseline
 * endpoint.
 */
@SpringBootApplication(scanBasePackages = "dev.feedplatform")
public class BenchApplication {

}
