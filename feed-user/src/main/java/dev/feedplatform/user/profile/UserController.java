package dev.feedplatform.user.profile;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.id.Ids;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/users/me} and {@code /api/users/{id}}. */
@RestController
class UserController {

	private final Profiles profiles;

	UserController(Profiles profiles) {
		this.profiles = profiles;
	}

	/**
	 * My profile, plus whether my token carries the moderator role (what a client shows
	 * moderator tools for).
	 */
	@GetMapping("/api/users/me")
	Me me(Viewer viewer) {
		return new Me(this.profiles.view(viewer.userId(), viewer.userId()), viewer.moderator());
	}

	/** {@code GET /api/users/me}: the profile's fields and {@code "moderator"}. */
	record Me(@JsonUnwrapped UserView profile, boolean moderator) {
	}

	@GetMapping("/api/users/{id}")
	UserView user(@PathVariable String id, Viewer viewer) {
		return this.profiles.view(Ids.parse(id, "user id"), viewer.userId());
	}

}
