package dev.feedplatform.common.auth;

import dev.feedplatform.common.error.Problem;

/**
 * Who is calling, as proven by a verified token.
 *
 * @param userId the account id
 * @param moderator whether the account was a moderator when the token was issued
 */
public record Viewer(long userId, boolean moderator) {

	/** Refuses (403) anyone who isn't a moderator. */
	public void requireModerator() {
		if (!this.moderator) {
			throw Problem.forbidden("moderators only");
		}
	}

}
