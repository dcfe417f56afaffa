package dev.feedplatform.counterserver;

/**
 * The counted things, in storage order; each is a column of {@code post_counters} and a
 * Redis hash field.
 */
public enum CounterField {

	LIKES("likes"), FAVORITES("favorites"), SHARES("shares"), VIEWS("views"), COMMENTS("comments");

	static final CounterField[] ALL = values();

	private final String column;

	CounterField(String column) {
		this.column = column;
	}

	public String column() {
		return this.column;
	}

}
