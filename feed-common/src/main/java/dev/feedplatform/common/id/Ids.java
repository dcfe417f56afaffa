package dev.feedplatform.common.id;

import dev.feedplatform.common.error.Problem;

/**
 * Ids travel as JSON strings (clients in JavaScript lose precision above 2^53); this
 * parses them strictly.
 */
public final class Ids {

	private Ids() {
	}

	/**
	 * Parses a path or query id, answering 400 (never 500) for anything that is not a
	 * positive 64-bit number.
	 */
	public static long parse(String raw, String what) {
		if (raw == null || raw.isEmpty() || raw.length() > 19) {
			throw Problem.badRequest("invalid " + what + ": '" + abbreviate(raw) + "'");
		}
		try {
			long id = Long.parseLong(raw);
			if (id <= 0) {
				throw Problem.badRequest("invalid " + what + ": must be positive");
			}
			return id;
		}
		catch (NumberFormatException ex) {
			throw Problem.badRequest("invalid " + what + ": '" + abbreviate(raw) + "' is not a number");
		}
	}

	public static String format(long id) {
		return Long.toString(id);
	}

	private static String abbreviate(String raw) {
		if (raw == null) {
			return "";
		}
		return raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
	}

}
