package dev.feedplatform.runtime.ports;

import java.util.Optional;

/** Users' public profiles, from the user module's cache. Owned by the user module. */
public interface UserDirectory {

	Optional<UserSummary> user(long userId);

	record UserSummary(long id, String nickname, long followers, long following, boolean bigAccount) {
	}

}
