/**
 * Barrage: ingress with per-room sampling, RocketMQ ordered per room, the room's Redis
 * pools (time-scored, trimmed), routing only to the bridge nodes that hold the room's
 * viewers, merged batches per node, and time-window replay.
 */
package dev.feedplatform.liveroombridge.barrage;
