package dev.feedplatform.user.profile;

import java.util.List;
import java.util.Set;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.id.Ids;
import dev.feedplatform.common.paging.Page;
import dev.feedplatform.common.paging.PageRequest;
import dev.feedplatform.user.follow.FollowGraph;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The follower/following pages. Pages are ordered by user id, newest account first, and
 * {@code last_id} is the last user's id, so a page never skips or repeats a user while
 * the graph changes around it.
 */
@RestController
class FollowListController {

	private final FollowGraph graph;

	private final Profiles profiles;

	FollowListController(FollowGraph graph, Profiles profiles) {
		this.graph = graph;
		this.profiles = profiles;
	}

	@GetMapping("/api/users/{id}/followers")
	Page<UserView> followers(@PathVariable String id, @RequestParam(name = "last_id", required = false) String lastId,
			@RequestParam(required = false) String size, Viewer viewer) {
		long userId = existing(id);
		PageRequest page = PageRequest.of(lastId, size);
		return views(this.graph.followersPage(userId, page), page, viewer);
	}

	@GetMapping("/api/users/{id}/following")
	Page<UserView> following(@PathVariable String id, @RequestParam(name = "last_id", required = false) String lastId,
			@RequestParam(required = false) String size, Viewer viewer) {
		long userId = existing(id);
		PageRequest page = PageRequest.of(lastId, size);
		return views(this.graph.followingPage(userId, page), page, viewer);
	}

	private long existing(String rawId) {
		long userId = Ids.parse(rawId, "user id");
		this.profiles.row(userId)
			.orElseThrow(() -> dev.feedplatform.common.error.Problem.notFound("no user " + userId));
		return userId;
	}

	private Page<UserView> views(List<Long> ids, PageRequest page, Viewer viewer) {
		List<Long> shown = ids.size() > page.size() ? ids.subList(0, page.size()) : ids;
		Set<Long> followed = this.graph.followedAmong(viewer.userId(), shown);
		List<UserView> views = this.profiles.rows(shown)
			.stream()
			.map(row -> row.viewedBy(row.id() != viewer.userId() && followed.contains(row.id())))
			.toList();
		boolean more = ids.size() > page.size();
		String last = shown.isEmpty() ? null : Long.toString(shown.get(shown.size() - 1));
		return new Page<>(views, last, more);
	}

}
