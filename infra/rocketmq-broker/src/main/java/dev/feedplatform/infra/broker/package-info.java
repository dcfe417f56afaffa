/** Launcher for a local RocketMQ Broker in its own JVM. */
package dev.feedplatform.infra.broker;
