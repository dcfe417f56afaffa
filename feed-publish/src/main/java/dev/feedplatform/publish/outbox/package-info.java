/** Authors' outboxes in Redis: where big accounts' posts are pulled from. */
package dev.feedplatform.publish.outbox;
