package dev.feedplatform.chaos;

/**
 * A word no other post contains, made of letters only (so every analyser keeps it one token):
 * {@code chaos}, the run's letters, then the sequence number in base 26.
 */
final class SearchWords {

	private SearchWords() {
	}

	static String of(String run, long n) {
		StringBuilder letters = new StringBuilder();
		long v = n;
		do {
			letters.append((char) ('a' + v % 26));
			v /= 26;
		}
		while (v > 0);
		return "chaos" + run + letters.reverse();
	}

}
