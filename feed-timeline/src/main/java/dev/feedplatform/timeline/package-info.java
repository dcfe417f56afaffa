/** The timeline context: home timeline, profile pages, backfill, regeneration. */
package dev.feedplatform.timeline;
