/**
 * The WebSocket gateway: one connection per viewer, frames per API.md, limits, presence.
 */
package dev.feedplatform.liveroombridge.gateway;
