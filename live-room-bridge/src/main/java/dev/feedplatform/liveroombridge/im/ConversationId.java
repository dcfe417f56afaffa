package dev.feedplatform.liveroombridge.im;

import dev.feedplatform.common.error.Problem;

/**
 * A conversation's id as API.md spells it: {@code d:<smaller user id>:<larger user id>}
 * for 1:1 (the same whichever side starts it) or {@code g:<group id>} for a group.
 *
 * @param value the id as clients see it
 * @param group whether it is a group conversation
 * @param first the smaller user id (1:1) or the group id
 * @param second the larger user id (1:1), 0 for a group
 */
public record ConversationId(String value, boolean group, long first, long second) {

	/** Longest id: "d:" and two 19-digit ids. */
	static final int MAX_LENGTH = 48;

	static ConversationId direct(long a, long b) {
		long lo = Math.min(a, b);
		long hi = Math.max(a, b);
		return new ConversationId("d:" + lo + ":" + hi, false, lo, hi);
	}

	static ConversationId ofGroup(long groupId) {
		return new ConversationId("g:" + groupId, true, groupId, 0);
	}

	/** Parses a client's conversation id; 400 for anything that is not one. */
	static ConversationId parse(String raw) {
		if (raw == null || raw.length() < 3 || raw.length() > MAX_LENGTH) {
			throw Problem.badRequest("\"conversation\" must be d:<user id>:<user id> or g:<group id>");
		}
		try {
			if (raw.startsWith("g:")) {
				long id = Long.parseLong(raw.substring(2));
				if (id > 0) {
					return ofGroup(id);
				}
			}
			else if (raw.startsWith("d:")) {
				int colon = raw.indexOf(':', 2);
				long a = Long.parseLong(raw.substring(2, colon));
				long b = Long.parseLong(raw.substring(colon + 1));
				if (a > 0 && a < b) {
					return direct(a, b);
				}
			}
		}
		catch (NumberFormatException | StringIndexOutOfBoundsException ex) {
			// answered below
		}
		throw Problem.badRequest("\"conversation\" must be d:<smaller user id>:<larger user id> or g:<group id>");
	}

	long groupId() {
		return this.first;
	}

	/** For a 1:1 conversation: the other side. */
	long peerOf(long userId) {
		return userId == this.first ? this.second : this.first;
	}

	/** For a 1:1 conversation: whether the user is one of its two sides. */
	boolean hasSide(long userId) {
		return !this.group && (userId == this.first || userId == this.second);
	}

	@Override
	public String toString() {
		return this.value;
	}

}
