/**
 * Where timeline items come from: outboxes, MariaDB, the follow graph, post summaries.
 */
package dev.feedplatform.timeline.source;
