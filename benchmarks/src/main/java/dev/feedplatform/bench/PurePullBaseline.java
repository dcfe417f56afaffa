package dev.feedplatform.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.feedplatform.common.paging.Page;
import dev.feedplatform.common.paging.PageRequest;
import dev.feedplatform.common.posts.PostSummary;
import dev.feedplatform.runtime.ports.Blacklist;
import dev.feedplatform.timeline.source.FollowingReader;
import dev.feedplatform.timeline.source.PostSummaries;
import dev.feedplatform.timeline.source.PullSource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The timeline baseline, served by the same HTTP stack as the product: pure pull, i.e.
 * merge the outboxes of every account the reader follows on each read (one pipelined
 * round trip over all of them, the platform's own {@link PullSource}), then the same
 * blacklist filter and hydration. What a design without inboxes pays. Benchmark-only:
 * this module is never part of the app.
 */
@RestController
class PurePullBaseline {

	private final FollowingReader following;

	private final PullSource pull;

	private final PostSummaries summaries;

	private final Blacklist blacklist;

	PurePullBaseline(FollowingReader following, PullSource pull, PostSummaries summaries, Blacklist blacklist) {
		this.following = following;
		this.pull = pull;
		this.summaries = summaries;
		this.blacklist = blacklist;
	}

	@GetMapping("/bench/pure-pull")
	Page<PostSummary> page(@RequestParam long reader, @RequestParam(name = "last_id", required = false) String lastId,
			@RequestParam(required = false) String size) {
		PageRequest request = PageRequest.of(lastId, size);
		Set<Long> followed = this.following.following(reader);
		List<Long> ids = this.pull.pull(followed, request.below(), request.size() + 1);
		Set<Long> blocked = this.blacklist.blocked(ids);
		Map<Long, PostSummary> found = this.summaries.visible(ids);
		List<PostSummary> items = new ArrayList<>();
		for (Long id : ids) {
			PostSummary summary = found.get(id);
			if (summary != null && !blocked.contains(id)) {
				items.add(summary);
			}
		}
		return Page.fromOverfetch(items, request.size(), s -> Long.parseLong(s.id()));
	}

}
