package dev.feedplatform.user.follow;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.id.Ids;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Follow and unfollow. The follower/following pages render profiles, so they live with
 * the profiles ({@code profile.FollowListController}): the profile package depends on the
 * graph, never the other way round (issue 20).
 */
@RestController
class FollowController {

	private final FollowGraph graph;

	FollowController(FollowGraph graph) {
		this.graph = graph;
	}

	@PostMapping("/api/users/{id}/follow")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void follow(@PathVariable String id, Viewer viewer) {
		this.graph.follow(viewer.userId(), Ids.parse(id, "user id"));
	}

	@DeleteMapping("/api/users/{id}/follow")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void unfollow(@PathVariable String id, Viewer viewer) {
		this.graph.unfollow(viewer.userId(), Ids.parse(id, "user id"));
	}

}
