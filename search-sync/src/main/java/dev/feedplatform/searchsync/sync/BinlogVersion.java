package dev.feedplatform.searchsync.sync;

/**
 * Turns a binlog position into the external version a search write carries, so that the
 * search node orders writes the way MariaDB committed them. 63 bits: the binlog file's
 * sequence number (20 bits, a million rotations), the byte offset in it (35 bits, 32 GiB;
 * MariaDB rotates at 1 GiB) and the row's place inside its rows event (8 bits).
 *
 * <p>
 * A snapshot (rebuild, reconciliation) is stamped just below the position
 * {@code SHOW MASTER
 * STATUS} reported before it read the rows: the event at that position, if it isn't in
 * what the snapshot read, is newer and must win, while everything before it is already in
 * what was read.
 */
public final class BinlogVersion {

	private static final int ROW_BITS = 8;

	private static final int OFFSET_BITS = 35;

	private BinlogVersion() {
	}

	public static long of(String logfileName, long offset, int row) {
		return ((fileSequence(logfileName) << OFFSET_BITS | offset) << ROW_BITS) | Math.min(row, 255);
	}

	public static long snapshot(String logfileName, long position) {
		return of(logfileName, position, 0) - 1;
	}

	static long fileSequence(String logfileName) {
		int dot = logfileName.lastIndexOf('.');
		if (dot <= 0 || dot == logfileName.length() - 1) {
			throw new IllegalArgumentException("not a binlog file name: " + logfileName);
		}
		return Long.parseLong(logfileName.substring(dot + 1));
	}

}
