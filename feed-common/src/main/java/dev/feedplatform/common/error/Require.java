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

}
