package dev.feedplatform.common.error;

/** Input checks for request records: each failure is a 400 that names the field. */
public final class Require {

	private Require() {
	}

	public static String text(String value, String field, int maxChars) {
		if (value == null || value.isBlank()) {
			throw Problem.badRequest(field + " is required");
		}
		return maxLength(value, field, maxChars);
	}

	public static String maxLength(String value, String field, int maxChars) {
		if (value != null && value.codePointCount(0, value.length()) > maxChars) {
			throw Problem.badRequest(field + " is longer than " + maxChars + " characters");
		}
		return value;
	}

	public static <T> T present(T value, String field) {
		if (value == null) {
			throw Problem.badRequest(field + " is required");
		}
		return value;
	}

	/** The longest {@code Idempotency-Key} (and {@code idempotency_key}) accepted. */
	public static final int MAX_IDEMPOTENCY_KEY = 64;

	/**
	 * An optional idempotency key: null when absent, else 1–64 printable ASCII characters (what a
	 * UUID, a ULID or a client's own counter fits in), or a 400 naming {@code field}.
	 */
	public static String idempotencyKey(String value, String field) {
		if (value == null) {
			return null;
		}
		if (value.isEmpty() || value.length() > MAX_IDEMPOTENCY_KEY || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
			throw Problem.badRequest(field + " must be 1-" + MAX_IDEMPOTENCY_KEY + " printable ASCII characters");
		}
		return value;
	}

}
