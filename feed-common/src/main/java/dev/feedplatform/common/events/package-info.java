/** Events modules exchange through RocketMQ: past-tense, versioned, owned by the emitting module's flow. */
package dev.feedplatform.common.events;
