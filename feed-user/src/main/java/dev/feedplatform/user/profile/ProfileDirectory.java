package dev.feedplatform.user.profile;

import java.util.Optional;

import dev.feedplatform.runtime.ports.UserDirectory;
import org.springframework.stereotype.Component;

/**
 * The user module's profiles (Redis-cached, generation-guarded) offered to other modules.
 */
@Component
class ProfileDirectory implements UserDirectory {

	private final Profiles profiles;

	ProfileDirectory(Profiles profiles) {
		this.profiles = profiles;
	}

	@Override
	public Optional<UserSummary> user(long userId) {
		return this.profiles.row(userId)
			.map(r -> new UserSummary(r.id(), r.nickname(), r.followers(), r.following(), r.bigAccount()));
	}

}
