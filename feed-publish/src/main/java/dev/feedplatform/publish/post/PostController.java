package dev.feedplatform.publish.post;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.id.Ids;
import dev.feedplatform.common.posts.PostSummary;
import dev.feedplatform.publish.retraction.Retracting;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/posts}, {@code POST /api/posts/{id}/repost} and {@code DELETE
 * /api/posts/{id}}.
 */
@RestController
class PostController {

	private final Publishing publishing;

	private final Retracting retracting;

	PostController(Publishing publishing, Retracting retracting) {
		this.publishing = publishing;
		this.retracting = retracting;
	}

	@PostMapping("/api/posts")
	@ResponseStatus(HttpStatus.CREATED)
	PostSummary publish(@RequestBody PostRequest request, Viewer viewer,
			@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
		return this.publishing.publish(viewer.userId(), request, idempotencyKey);
	}

	/** The body of a repost: an optional text. */
	record RepostRequest(String text) {
	}

	@PostMapping("/api/posts/{id}/repost")
	@ResponseStatus(HttpStatus.CREATED)
	PostSummary repost(@PathVariable String id, @RequestBody(required = false) RepostRequest request, Viewer viewer,
			@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
		return this.publishing.repost(viewer.userId(), Ids.parse(id, "post id"),
				request == null ? null : request.text(), idempotencyKey);
	}

	@DeleteMapping("/api/posts/{id}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void retract(@PathVariable String id, Viewer viewer) {
		this.retracting.retract(Ids.parse(id, "post id"), viewer.userId());
	}

}
