package dev.feedplatform.counterserver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.id.Ids;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Likes, favorites, shares, views and batch counter reads, per API.md. */
@RestController
class CounterController {

	static final int MAX_IDS = 100;

	private final Interactions interactions;

	private final CounterReads reads;

	CounterController(Interactions interactions, CounterReads reads) {
		this.interactions = interactions;
		this.reads = reads;
	}

	@PostMapping("/api/posts/{id}/like")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void like(@PathVariable String id, Viewer viewer) {
		this.interactions.react(Ids.parse(id, "post id"), viewer.userId(), Reactions.Kind.LIKE);
	}

	@DeleteMapping("/api/posts/{id}/like")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void unlike(@PathVariable String id, Viewer viewer) {
		this.interactions.unreact(Ids.parse(id, "post id"), viewer.userId(), Reactions.Kind.LIKE);
	}

	@PostMapping("/api/posts/{id}/favorite")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void favorite(@PathVariable String id, Viewer viewer) {
		this.interactions.react(Ids.parse(id, "post id"), viewer.userId(), Reactions.Kind.FAVORITE);
	}

	@DeleteMapping("/api/posts/{id}/favorite")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void unfavorite(@PathVariable String id, Viewer viewer) {
		this.interactions.unreact(Ids.parse(id, "post id"), viewer.userId(), Reactions.Kind.FAVORITE);
	}

	@PostMapping("/api/posts/{id}/share")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void share(@PathVariable String id, Viewer viewer) {
		this.interactions.increment(Ids.parse(id, "post id"), CounterField.SHARES);
	}

	@PostMapping("/api/posts/{id}/views")
	@ResponseStatus(HttpStatus.ACCEPTED)
	void view(@PathVariable String id, Viewer viewer) {
		this.interactions.increment(Ids.parse(id, "post id"), CounterField.VIEWS);
	}

	@GetMapping("/api/counters")
	Map<String, Map<String, Long>> counters(@RequestParam(required = false) String ids, Viewer viewer) {
		if (ids == null || ids.isBlank()) {
			throw Problem.badRequest("ids is required: comma-separated post ids");
		}
		String[] raw = ids.split(",", -1);
		if (raw.length > MAX_IDS) {
			throw Problem.badRequest("at most " + MAX_IDS + " ids per call");
		}
		List<Long> postIds = new ArrayList<>(raw.length);
		for (String one : raw) {
			postIds.add(Ids.parse(one.trim(), "post id"));
		}
		Map<String, Map<String, Long>> out = new LinkedHashMap<>();
		this.reads.counts(postIds).forEach((post, counts) -> {
			Map<String, Long> fields = new LinkedHashMap<>();
			for (CounterField field : CounterField.ALL) {
				fields.put(field.column(), counts.get(field));
			}
			out.put(Long.toString(post), fields);
		});
		return out;
	}

}
