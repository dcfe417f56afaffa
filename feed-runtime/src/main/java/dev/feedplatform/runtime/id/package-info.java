/**
 * Id minting with worker slots leased in Redis, so ids are unique across instances and
 * restarts.
 */
package dev.feedplatform.runtime.id;
