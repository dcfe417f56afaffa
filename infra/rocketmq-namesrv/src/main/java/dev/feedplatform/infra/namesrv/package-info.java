/** Launcher for a local RocketMQ NameServer in its own JVM. */
package dev.feedplatform.infra.namesrv;
