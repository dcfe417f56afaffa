/** Binlog (Canal) to the search node, ranked post search, rebuild and reconciliation. */
package dev.feedplatform.searchsync;
