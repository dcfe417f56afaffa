/**
 * Events more than one module reads, exchanged through RocketMQ as JSON
 * ({@code runtime.messaging.EventJson}): past tense, records. An event only its emitting
 * module reads lives in that module.
 */
package dev.feedplatform.common.events;
