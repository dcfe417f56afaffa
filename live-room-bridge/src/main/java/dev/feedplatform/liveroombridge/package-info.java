/**
 * Live rooms linked to posts and the WebSocket gateway viewers join them through: rooms,
 * the gateway's connection handling (token at the handshake, join/leave, ping, limits,
 * bounded send queues) and presence. Barrage through RocketMQ and routing across bridge
 * nodes build on this.
 */
package dev.feedplatform.liveroombridge;
