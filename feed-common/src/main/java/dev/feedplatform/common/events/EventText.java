package dev.feedplatform.common.events;

/**
 * Splits a versioned {@code v1|a|b|...} event body, refusing other versions and shapes.
 */
final class EventText {

	private EventText() {
	}

	static String[] fields(String text, int count) {
		String[] f = text.split("\\|", -1);
		if (f.length != count || !"v1".equals(f[0])) {
			throw new IllegalArgumentException("not a v1 event with " + count + " fields: " + text);
		}
		return f;
	}

}
