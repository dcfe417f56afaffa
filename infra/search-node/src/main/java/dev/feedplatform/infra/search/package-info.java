/** Launcher for a local search node (Elasticsearch 7.10) in its own JVM. */
package dev.feedplatform.infra.search;
