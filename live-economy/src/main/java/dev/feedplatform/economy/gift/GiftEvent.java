package dev.feedplatform.economy.gift;

/**
 * A debited gift on its way to its effects (topic {@value #TOPIC}): one message per gift,
 * keyed by its id, delivered at least once. {@code pk} is the PK that ran in the room
 * when it was sent (0 for none), {@code at} the epoch ms of its debit (a gift sent before
 * a PK's deadline counts even when it is consumed after it).
 */
record GiftEvent(long id, long room, long sender, long anchor, int gift, int count, long amount, String effect, long pk,
		long at) {

	static final String TOPIC = "economy-gifts";

	/**
	 * An event sent before events were JSON ({@code v1|...}; issue 20): read while a
	 * broker may still hold one.
	 */
	static GiftEvent fromText(String text) {
		String[] all = text.split("\\|", -1);
		if (all.length != 11 || !"v1".equals(all[0])) {
			throw new IllegalArgumentException("not a v1 gift event: " + text);
		}
		String[] f = java.util.Arrays.copyOfRange(all, 1, 11);
		try {
			return new GiftEvent(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
					Integer.parseInt(f[4]), Integer.parseInt(f[5]), Long.parseLong(f[6]), f[7], Long.parseLong(f[8]),
					Long.parseLong(f[9]));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("malformed gift event: " + text, ex);
		}
	}

}
