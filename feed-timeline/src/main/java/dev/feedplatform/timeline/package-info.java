/** Home timeline, profile pages, backfill and regeneration. Built in a later issue. */
package dev.feedplatform.timeline;
