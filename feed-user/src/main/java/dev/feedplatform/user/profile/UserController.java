package dev.feedplatform.user.profile;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.id.Ids;
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

	@GetMapping("/api/users/me")
	UserView me(Viewer viewer) {
		return this.profiles.view(viewer.userId(), viewer.userId());
	}

	@GetMapping("/api/users/{id}")
	UserView user(@PathVariable String id, Viewer viewer) {
		return this.profiles.view(Ids.parse(id, "user id"), viewer.userId());
	}

}
