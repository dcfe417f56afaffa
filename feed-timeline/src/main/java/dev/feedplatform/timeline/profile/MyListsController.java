package dev.feedplatform.timeline.profile;

import java.time.Instant;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.paging.Page;
import dev.feedplatform.common.paging.PageRequest;
import dev.feedplatform.common.posts.PostSummary;
import dev.feedplatform.runtime.ports.PostReactions;
import dev.feedplatform.runtime.ports.ViewHistory;
import dev.feedplatform.timeline.source.ShownPages;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/users/me/likes}, {@code /favorites} and {@code /history} (issue 19,
 * seed 003): the caller's own records, newest first, paged by record id
 * ({@code last_id}); posts since deleted or blacklisted are left out (the blacklist's one
 * round trip per page, as the timeline does). The records come from their owners:
 * reactions from the counter server, opens from the detail aggregator.
 */
@RestController
class MyListsController {

	/** One entry: the record's id (the cursor), the post, when (ISO-8601 UTC). */
	record Entry(String id, PostSummary post, String at) {
	}

	private final PostReactions reactions;

	private final ViewHistory history;

	private final ShownPages pages;

	MyListsController(PostReactions reactions, ViewHistory history, ShownPages pages) {
		this.reactions = reactions;
		this.history = history;
		this.pages = pages;
	}

	@GetMapping("/api/users/me/likes")
	Page<Entry> likes(@RequestParam(name = "last_id", required = false) String lastId,
			@RequestParam(required = false) String size, Viewer viewer) {
		return page(PageRequest.of(lastId, size),
				(below, limit) -> this.reactions.likes(viewer.userId(), below, limit));
	}

	@GetMapping("/api/users/me/favorites")
	Page<Entry> favorites(@RequestParam(name = "last_id", required = false) String lastId,
			@RequestParam(required = false) String size, Viewer viewer) {
		return page(PageRequest.of(lastId, size),
				(below, limit) -> this.reactions.favorites(viewer.userId(), below, limit));
	}

	@GetMapping("/api/users/me/history")
	Page<Entry> history(@RequestParam(name = "last_id", required = false) String lastId,
			@RequestParam(required = false) String size, Viewer viewer) {
		return page(PageRequest.of(lastId, size), (below, limit) -> this.history.opened(viewer.userId(), below, limit));
	}

	private Page<Entry> page(PageRequest request, ShownPages.Records records) {
		return this.pages.page(request, records, (record, post) -> new Entry(Long.toString(record.id()), post,
				Instant.ofEpochMilli(record.atMs()).toString()), entry -> Long.parseLong(entry.id()));
	}

}
