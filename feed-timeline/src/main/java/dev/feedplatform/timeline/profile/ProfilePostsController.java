package dev.feedplatform.timeline.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.id.Ids;
import dev.feedplatform.common.paging.Page;
import dev.feedplatform.common.paging.PageRequest;
import dev.feedplatform.common.posts.PostSummary;
import dev.feedplatform.timeline.source.PostSummaries;
import dev.feedplatform.timeline.source.PullSource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/users/{id}/posts}: one author's outbox, continued from MariaDB. */
@RestController
class ProfilePostsController {

	private final PullSource pull;

	private final PostSummaries summaries;

	ProfilePostsController(PullSource pull, PostSummaries summaries) {
		this.pull = pull;
		this.summaries = summaries;
	}

	@GetMapping("/api/users/{id}/posts")
	Page<PostSummary> posts(@PathVariable String id, @RequestParam(name = "last_id", required = false) String lastId,
			@RequestParam(required = false) String size, Viewer viewer) {
		long authorId = Ids.parse(id, "user id");
		PageRequest request = PageRequest.of(lastId, size);
		List<PostSummary> items = new ArrayList<>();
		long below = request.below();
		boolean more = true;
		for (int round = 0; round < 4 && more && items.size() <= request.size(); round++) {
			int want = request.size() + 1 - items.size() + 5;
			List<Long> ids = this.pull.pull(List.of(authorId), below, want);
			Map<Long, PostSummary> found = this.summaries.shown(ids);
			ids.stream().filter(found::containsKey).forEach(i -> items.add(found.get(i)));
			more = ids.size() >= want;
			if (!ids.isEmpty()) {
				below = ids.get(ids.size() - 1);
			}
		}
		if (items.size() <= request.size() && more) {
			// Rounds used up on hidden posts: a short page whose cursor is the last id read, so the client goes on past them.
			return new Page<>(List.copyOf(items), Long.toString(below), true);
		}
		return Page.fromOverfetch(items, request.size(), PostSummary::numericId);
	}

}
