/** Launcher for a local Canal server (MariaDB binlog reader) in its own JVM. */
package dev.feedplatform.infra.canal;
