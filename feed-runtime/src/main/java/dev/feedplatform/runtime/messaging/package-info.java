/**
 * RocketMQ clients: topic declaration and creation, the shared producer, consumers and
 * health.
 */
package dev.feedplatform.runtime.messaging;
