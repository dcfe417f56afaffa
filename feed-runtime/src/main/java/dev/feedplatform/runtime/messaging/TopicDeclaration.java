package dev.feedplatform.runtime.messaging;

/**
 * A topic a module uses. The broker never auto-creates topics, so each module declares
 * its own as a bean and {@link RocketMq} creates them all before any consumer starts.
 *
 * @param name the topic
 * @param queues read/write queues, 0 for the default
 */
public record TopicDeclaration(String name, int queues) {
}
