package dev.feedplatform.counterserver;

/**
 * A post's five totals, as {@code post_counters} and the Redis copy
 * {@code post:{id}:counts} hold them (issue 20: a record instead of a {@code long[]}
 * indexed by {@link CounterField#ordinal()}).
 */
public record Totals(long likes, long favorites, long shares, long views, long comments) {

	public static final Totals ZERO = new Totals(0, 0, 0, 0, 0);

	public long get(CounterField field) {
		return switch (field) {
			case LIKES -> this.likes;
			case FAVORITES -> this.favorites;
			case SHARES -> this.shares;
			case VIEWS -> this.views;
			case COMMENTS -> this.comments;
		};
	}

	/**
	 * These totals with a delta vector added ({@link CounterField} order, as a batch
	 * carries it).
	 */
	Totals plus(long[] delta) {
		return new Totals(this.likes + delta[0], this.favorites + delta[1], this.shares + delta[2],
				this.views + delta[3], this.comments + delta[4]);
	}

	Totals plus(Totals other) {
		return new Totals(this.likes + other.likes, this.favorites + other.favorites, this.shares + other.shares,
				this.views + other.views, this.comments + other.comments);
	}

	/** How many increments these totals are, whatever their sign. */
	long magnitude() {
		return Math.abs(this.likes) + Math.abs(this.favorites) + Math.abs(this.shares) + Math.abs(this.views)
				+ Math.abs(this.comments);
	}

	/**
	 * Totals with the {@code post_counters} row version they were read at: a Redis copy
	 * replaces only an older version.
	 */
	record Versioned(Totals totals, long version) {
	}

}
