/** Creating and retracting posts, outboxes and fan-out. Built in a later issue. */
package dev.feedplatform.publish;
