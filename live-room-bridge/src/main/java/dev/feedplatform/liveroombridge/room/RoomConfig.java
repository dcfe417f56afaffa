package dev.feedplatform.liveroombridge.room;

/**
 * A room's settings, fixed when it opens (so every node may cache them): how many Redis
 * pools its barrage is split over, and its own rate and sample share ({@code null}: the
 * node's {@code feed.barrage.room-rate} / {@code sample-keep}).
 */
public record RoomConfig(int pools, Integer rate, Double sampleKeep) {

	static final RoomConfig DEFAULT = new RoomConfig(1, null, null);

}
