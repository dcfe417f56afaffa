package dev.feedplatform.timeline.profile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.paging.Page;
import dev.feedplatform.common.paging.PageRequest;
import dev.feedplatform.common.posts.PostSummary;
import dev.feedplatform.runtime.ports.PostReactions;
import dev.feedplatform.runtime.ports.PostRecord;
import dev.feedplatform.runtime.ports.ViewHistory;
import dev.feedplatform.timeline.source.PostSummaries;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/users/me/likes}, {@code /favorites} and {@code /history} (issue 19, seed 003):
 * the caller's own records, newest first, paged by record id ({@code last_id}); posts since
 * deleted or blacklisted are left out (the blacklist's one round trip per page, as the timeline
 * does). The records come from their owners: reactions from the counter server, opens from the
 * detail aggregator.
 */
@RestController
class MyListsController {

	/** One entry: the record's id (the cursor), the post, when (ISO-8601 UTC). */
	record Entry(String id, PostSummary post, String at) {
	}

	private interface Records {

		List<PostRecord> below(long belowId, int limit);

	}

	private final PostReactions reactions;

	private final ViewHistory history;

	private final PostSummaries summaries;

	MyListsController(PostReactions reactions, ViewHistory history, PostSummaries summaries) {
		this.reactions = reactions;
		this.history = history;
		this.summaries = summaries;
	}

	@GetMapping("/api/users/me/likes")
	Page<Entry> likes(@RequestParam(name = "last_id", required = false) String lastId, @RequestParam(required = false) String size, Viewer viewer) {
		return page(PageRequest.of(lastId, size), (below, limit) -> this.reactions.likes(viewer.userId(), below, limit));
	}

	@GetMapping("/api/users/me/favorites")
	Page<Entry> favorites(@RequestParam(name = "last_id", required = false) String lastId, @RequestParam(required = false) String size,
			Viewer viewer) {
		return page(PageRequest.of(lastId, size), (below, limit) -> this.reactions.favorites(viewer.userId(), below, limit));
	}

	@GetMapping("/api/users/me/history")
	Page<Entry> history(@RequestParam(name = "last_id", required = false) String lastId, @RequestParam(required = false) String size,
			Viewer viewer) {
		return page(PageRequest.of(lastId, size), (below, limit) -> this.history.opened(viewer.userId(), below, limit));
	}

	/** Reads past records of hidden posts (a few rounds at most) to fill the page. */
	private Page<Entry> page(PageRequest request, Records records) {
		List<Entry> items = new ArrayList<>();
		long below = request.below();
		boolean more = true;
		for (int round = 0; round < 4 && more && items.size() <= request.size(); round++) {
			int want = request.size() + 1 - items.size() + 5;
			List<PostRecord> found = records.below(below, want);
			Map<Long, PostSummary> visible = this.summaries.shown(found.stream().map(PostRecord::postId).toList());
			for (PostRecord record : found) {
				if (visible.containsKey(record.postId())) {
					items.add(new Entry(Long.toString(record.id()), visible.get(record.postId()), Instant.ofEpochMilli(record.atMs()).toString()));
				}
			}
			more = found.size() >= want;
			if (!found.isEmpty()) {
				below = found.get(found.size() - 1).id();
			}
		}
		if (items.size() <= request.size() && more) {
			// Rounds used up on hidden posts: a short page whose cursor is the last record read, so the client goes on past them.
			return new Page<>(List.copyOf(items), Long.toString(below), true);
		}
		return Page.fromOverfetch(items, request.size(), entry -> Long.parseLong(entry.id()));
	}

}
