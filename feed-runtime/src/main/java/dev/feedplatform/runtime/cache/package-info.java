/**
 * Generation-guarded cache fills for a user's Redis copies, and the cached following set
 * every module reads.
 */
package dev.feedplatform.runtime.cache;
