/**
 * Comments on posts, paged by {@code last_id}; their count moves through the counter
 * server.
 */
package dev.feedplatform.detailaggregator.comment;
