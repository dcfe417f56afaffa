package dev.feedplatform.common.auth;

/**
 * Who is calling, as proven by a verified token.
 *
 * @param userId the account id
 * @param moderator whether the account was a moderator when the token was issued
 */
public record Viewer(long userId, boolean moderator) {
}
