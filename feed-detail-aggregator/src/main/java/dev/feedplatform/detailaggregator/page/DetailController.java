package dev.feedplatform.detailaggregator.page;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.id.Ids;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/posts/{id}}. */
@RestController
class DetailController {

	private final DetailPage page;

	DetailController(DetailPage page) {
		this.page = page;
	}

	@GetMapping("/api/posts/{id}")
	DetailView detail(@PathVariable String id, Viewer viewer) {
		return this.page.view(Ids.parse(id, "post id"), viewer);
	}

}
