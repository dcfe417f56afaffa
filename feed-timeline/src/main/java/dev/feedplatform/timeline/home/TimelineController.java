package dev.feedplatform.timeline.home;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.paging.Page;
import dev.feedplatform.common.paging.PageRequest;
import dev.feedplatform.common.posts.PostSummary;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/timeline}: pull-to-refresh without {@code last_id}, scroll with it. */
@RestController
class TimelineController {

	private final HomeTimeline timeline;

	TimelineController(HomeTimeline timeline) {
		this.timeline = timeline;
	}

	@GetMapping("/api/timeline")
	Page<PostSummary> timeline(@RequestParam(name = "last_id", required = false) String lastId,
			@RequestParam(required = false) String size, Viewer viewer) {
		return this.timeline.page(viewer.userId(), PageRequest.of(lastId, size));
	}

}
