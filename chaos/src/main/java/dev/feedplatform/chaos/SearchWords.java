package dev.feedplatform.chaos;

/**
 * A word no other post contains and no analyser changes: letters only (one token), the
 * sequence number written in consonants and ended with {@code x}, so an English stemmer
 * finds no suffix to strip (an earlier form ending in "...al" was stemmed into another
 * post's word, and search looked lossy when it wasn't).
 */
final class SearchWords {

	/** No vowels, no s (plurals), no l (double-l), no y. */
	private static final String DIGITS = "bcdfghjkmnpqrtvwz";

	private SearchWords() {
	}

	static String of(String run, long n) {
		StringBuilder letters = new StringBuilder();
		long v = n;
		do {
			letters.append(DIGITS.charAt((int) (v % DIGITS.length())));
			v /= DIGITS.length();
		}
		while (v > 0);
		return "chaos" + run + letters.reverse() + "x";
	}

}
