package dev.feedplatform.timeline.profile;

import java.util.List;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.id.Ids;
import dev.feedplatform.common.paging.Page;
import dev.feedplatform.common.paging.PageRequest;
import dev.feedplatform.common.posts.PostSummary;
import dev.feedplatform.runtime.ports.PostRecord;
import dev.feedplatform.timeline.source.PullSource;
import dev.feedplatform.timeline.source.ShownPages;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/users/{id}/posts}: one author's outbox, continued from MariaDB. */
@RestController
class ProfilePostsController {

	private final PullSource pull;

	private final ShownPages pages;

	ProfilePostsController(PullSource pull, ShownPages pages) {
		this.pull = pull;
		this.pages = pages;
	}

	@GetMapping("/api/users/{id}/posts")
	Page<PostSummary> posts(@PathVariable String id, @RequestParam(name = "last_id", required = false) String lastId,
			@RequestParam(required = false) String size, Viewer viewer) {
		long authorId = Ids.parse(id, "user id");
		// Post ids are their own records: each id is the cursor.
		return this.pages.page(PageRequest.of(lastId, size),
				(below, limit) -> this.pull.pull(List.of(authorId), below, limit)
					.stream()
					.map(post -> new PostRecord(post, post, 0))
					.toList(),
				(record, post) -> post, PostSummary::numericId);
	}

}
