/**
 * {@code bin/platform chaos} (issue 14): a mixed workload through the public API while
 * every process of the platform is killed with SIGKILL and restarted in turn, then a
 * check of every acknowledged write (present exactly once, counts exact or bounded,
 * timelines, search, chat).
 */
package dev.feedplatform.chaos;
