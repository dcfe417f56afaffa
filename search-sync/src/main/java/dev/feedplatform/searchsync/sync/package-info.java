/**
 * The binlog sync: Canal client, versioned writes, the leader lease, rebuild,
 * reconciliation and lag.
 */
package dev.feedplatform.searchsync.sync;
