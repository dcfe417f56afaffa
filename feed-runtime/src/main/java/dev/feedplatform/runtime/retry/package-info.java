/**
 * The one declared retry of relational work that lost a lock conflict
 * ({@link dev.feedplatform.runtime.retry.LockConflicts}).
 */
package dev.feedplatform.runtime.retry;
