/** Push fan-out: planning batches of active fans and writing them into inboxes. */
package dev.feedplatform.publish.fanout;
