/** Binlog (Canal) to search index; ranked search API. Built in a later issue. */
package dev.feedplatform.searchsync;
