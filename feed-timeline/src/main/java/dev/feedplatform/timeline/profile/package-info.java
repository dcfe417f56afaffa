/** Profile pages: one author's posts, newest first. */
package dev.feedplatform.timeline.profile;
