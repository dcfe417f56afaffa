/** Generation-guarded cache fills for a user's Redis copies. */
package dev.feedplatform.user.cache;
