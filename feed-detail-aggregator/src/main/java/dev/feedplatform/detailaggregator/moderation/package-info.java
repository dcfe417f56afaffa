/** Moderators' blacklist: a post hidden from every read path at once, and restored. */
package dev.feedplatform.detailaggregator.moderation;
