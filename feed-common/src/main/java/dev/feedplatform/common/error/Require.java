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
		wellFormed(value, field);
		if (value != null && value.codePointCount(0, value.length()) > maxChars) {
			throw Problem.badRequest(field + " is longer than " + maxChars + " characters");
		}
		return value;
	}

	/**
	 * Text must be well-formed Unicode: a JSON escape such as {@code "\ud83d"} decodes to
	 * a lone surrogate, which no store keeps as it was echoed (MariaDB turned it into
	 * {@code ?} and dropped what followed; issue 15). The one check every text field goes
	 * through, over HTTP and the WebSocket alike; a 400 naming the field.
	 */
	public static String wellFormed(String value, String field) {
		if (value == null) {
			return null;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < value.length()
					&& Character.isLowSurrogate(value.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				throw Problem
					.badRequest(field + " is not well-formed Unicode (an unpaired surrogate at character " + i + ")");
			}
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
	 * An optional idempotency key: null when absent, else 1–64 printable ASCII characters
	 * (what a UUID, a ULID or a client's own counter fits in), or a 400 naming
	 * {@code field}.
	 */
	public static String idempotencyKey(String value, String field) {
		if (value == null) {
			return null;
		}
		if (value.isEmpty() || value.length() > MAX_IDEMPOTENCY_KEY
				|| !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
			throw Problem.badRequest(field + " must be 1-" + MAX_IDEMPOTENCY_KEY + " printable ASCII characters");
		}
		return value;
	}

}
