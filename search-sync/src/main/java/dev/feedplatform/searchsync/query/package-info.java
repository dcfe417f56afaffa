/**
 * The search API: ranked queries, cursors, and the moderators' index maintenance
 * endpoints.
 */
package dev.feedplatform.searchsync.query;
