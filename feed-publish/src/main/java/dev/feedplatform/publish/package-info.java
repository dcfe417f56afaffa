/** The publish context: posts, outboxes, fan-out, retraction. */
package dev.feedplatform.publish;
