package dev.feedplatform.detailaggregator.comment;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.id.Ids;
import dev.feedplatform.common.paging.Page;
import dev.feedplatform.common.paging.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST/GET /api/posts/{id}/comments}. */
@RestController
class CommentController {

	record NewComment(String text) {
	}

	private final Comments comments;

	CommentController(Comments comments) {
		this.comments = comments;
	}

	@PostMapping("/api/posts/{id}/comments")
	@ResponseStatus(HttpStatus.CREATED)
	CommentView add(@PathVariable String id, @RequestBody NewComment comment, Viewer viewer,
			@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
		return this.comments.add(Ids.parse(id, "post id"), viewer.userId(), comment == null ? null : comment.text(),
				idempotencyKey);
	}

	@GetMapping("/api/posts/{id}/comments")
	Page<CommentView> page(@PathVariable String id, @RequestParam(name = "last_id", required = false) String lastId,
			@RequestParam(required = false) String size, Viewer viewer) {
		return this.comments.page(Ids.parse(id, "post id"), PageRequest.of(lastId, size));
	}

}
