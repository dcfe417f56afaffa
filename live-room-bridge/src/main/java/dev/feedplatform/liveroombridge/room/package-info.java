/**
 * Live rooms: open (linked to one of the owner's posts), close, and the open-room list
 * served from a snapshot.
 */
package dev.feedplatform.liveroombridge.room;
