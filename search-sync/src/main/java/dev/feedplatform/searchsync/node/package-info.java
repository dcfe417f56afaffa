/**
 * The search node: the client (with its Elasticsearch 7 compatibility), the post indices
 * and documents.
 */
package dev.feedplatform.searchsync.node;
