package dev.feedplatform.liveroombridge.room;

/**
 * A room was closed on this node (an application event, after the row changed): the
 * barrage side tells every node with viewers, which tell their viewers (issue 15).
 */
public record RoomClosed(long roomId) {
}
