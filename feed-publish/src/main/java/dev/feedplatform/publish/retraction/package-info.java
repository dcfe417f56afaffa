/** Retraction by the author: blacklist at once, clean outbox and inboxes afterwards. */
package dev.feedplatform.publish.retraction;
