/**
 * The post detail page: post, author, relation, counts, reactions and the first comments,
 * assembled from parallel reads with per-call timeouts and fast failure, the post itself
 * behind a lease-based Redis cache; comments; moderation.
 */
package dev.feedplatform.detailaggregator;
