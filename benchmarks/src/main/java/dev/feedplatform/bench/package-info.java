/**
 * The benchmark suite: runs the assembled platform in this JVM against the project's real
 * Redis, MariaDB and RocketMQ, and measures each figure beside a raw baseline taken in
 * the same run, so the printed ratios stay meaningful on a noisy machine. Entry point
 * {@link dev.feedplatform.bench.Benchmarks}.
 */
package dev.feedplatform.bench;
