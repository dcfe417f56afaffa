/**
 * Standing roles one instance holds at a time, on Redisson locks
 * ({@link dev.feedplatform.runtime.lock.Leadership}).
 */
package dev.feedplatform.runtime.lock;
