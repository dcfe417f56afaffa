package dev.feedplatform.user.profile;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A user as API.md shows one; the id is a string because JSON numbers lose precision in
 * browsers.
 */
public record UserView(String id, String nickname, long followers, long following,
		@JsonProperty("big_account") boolean bigAccount, @JsonProperty("followed_by_me") boolean followedByMe) {
}
