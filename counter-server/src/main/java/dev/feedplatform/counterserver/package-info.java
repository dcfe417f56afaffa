/**
 * Write-merged counters: likes, favorites, shares, views and comments. Increments are
 * merged in process into one delta batch per short window (group commit: a request is
 * acknowledged once the batch holding it is on the broker), merged again when applied to
 * MariaDB exactly once, and copied to Redis in version order. Reads come from a short
 * Caffeine tier over Redis.
 */
package dev.feedplatform.counterserver;
