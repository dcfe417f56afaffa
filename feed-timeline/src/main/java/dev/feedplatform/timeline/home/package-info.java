/** The home timeline: inbox plus pulled outboxes, regeneration and backfill. */
package dev.feedplatform.timeline.home;
