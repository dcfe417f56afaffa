/**
 * The publish module's own events (issue 20: the emitter owns its event records): a post
 * was published, and the batches fan-out splits it into. JSON on the wire
 * ({@code EventJson}); the lowest package of the module, so every other one may use it.
 */
package dev.feedplatform.publish.events;
