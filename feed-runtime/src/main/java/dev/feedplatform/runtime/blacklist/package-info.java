/** The retraction and moderation blacklist every read path checks. */
package dev.feedplatform.runtime.blacklist;
