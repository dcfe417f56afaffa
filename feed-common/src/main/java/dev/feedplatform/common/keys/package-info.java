/** Redis key naming, with Cluster hash tags, for every module. */
package dev.feedplatform.common.keys;
