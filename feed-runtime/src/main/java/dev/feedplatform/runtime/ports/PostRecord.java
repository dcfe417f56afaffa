package dev.feedplatform.runtime.ports;

/**
 * One entry of a user's own list (issue 19: likes, favorites, opened detail pages): the
 * record's id (time-ordered, the page cursor), the post, and when it was made (epoch
 * milliseconds).
 */
public record PostRecord(long id, long postId, long atMs) {
}
