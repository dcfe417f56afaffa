package dev.feedplatform.detailaggregator.moderation;

import java.util.List;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.id.Ids;
import dev.feedplatform.detailaggregator.page.DetailInvalidation;
import dev.feedplatform.runtime.ports.Blacklist;
import dev.feedplatform.runtime.ports.PostRows;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST/DELETE /api/moderation/blacklist/{postId}}, moderators only. The entry is
 * written to MariaDB and the Redis blacklist hash before the 204, and every read path on
 * every instance checks that hash per item (detail page, timelines, profiles): nothing
 * has to be delivered for the post to vanish. Un-blacklisting removes only a moderator's
 * entry; a post its author retracted stays gone.
 */
@RestController
class ModerationController {

	private final Blacklist blacklist;

	private final PostRows posts;

	private final DetailInvalidation invalidation;

	ModerationController(Blacklist blacklist, PostRows posts, DetailInvalidation invalidation) {
		this.blacklist = blacklist;
		this.posts = posts;
		this.invalidation = invalidation;
	}

	@PostMapping("/api/moderation/blacklist/{postId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void block(@PathVariable String postId, Viewer viewer) {
		long id = moderatedPost(postId, viewer);
		this.blacklist.add(id, Blacklist.MODERATED);
		this.invalidation.invalidate(id);
	}

	@DeleteMapping("/api/moderation/blacklist/{postId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void unblock(@PathVariable String postId, Viewer viewer) {
		long id = moderatedPost(postId, viewer);
		this.blacklist.remove(id, Blacklist.MODERATED);
		this.invalidation.invalidate(id);
	}

	private long moderatedPost(String raw, Viewer viewer) {
		viewer.requireModerator();
		long id = Ids.parse(raw, "post id");
		if (this.posts.existing(List.of(id)).isEmpty()) {
			throw Problem.notFound("no post " + id);
		}
		return id;
	}

}
