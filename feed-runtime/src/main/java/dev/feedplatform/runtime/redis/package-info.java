/** Redis client tuning shared by every module. */
package dev.feedplatform.runtime.redis;
