package dev.feedplatform.economy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * The economy's one conversion between the MariaDB {@code DATETIME(3)} columns (read and
 * written as {@link LocalDateTime} in the JVM's zone, which is the connection's zone) and
 * what the rest of the code speaks: epoch milliseconds for timers and Redis, ISO-8601 UTC
 * strings for the API.
 */
public final class Times {

	private Times() {
	}

	/** Epoch milliseconds of a stored time. */
	public static long epochMs(LocalDateTime time) {
		return time.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
	}

	/**
	 * A time to store, in milliseconds like the column, so a read gives back what was
	 * written.
	 */
	public static LocalDateTime stored(long epochMs) {
		return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneId.systemDefault());
	}

	/**
	 * A stored time as the API shows it ({@code 2026-11-30T08:00:00.123Z}); null stays
	 * null.
	 */
	public static String iso(LocalDateTime time) {
		return time == null ? null : Instant.ofEpochMilli(epochMs(time)).toString();
	}

	/** Epoch milliseconds as the API shows them. */
	public static String iso(long epochMs) {
		return Instant.ofEpochMilli(epochMs).toString();
	}

}
