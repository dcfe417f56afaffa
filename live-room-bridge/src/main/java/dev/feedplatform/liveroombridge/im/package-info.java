/**
 * IM on the bridge (seeds 000, 002, 003 "大规模IM", 004): 1:1 and group conversations with a
 * dense per-conversation seq allocated in the message's own database transaction,
 * idempotent sends, per-device ordered delivery with acks and retries across bridge
 * nodes, offline catch-up, read cursors, presence and offline push.
 */
package dev.feedplatform.liveroombridge.im;
