package dev.feedplatform.searchsync.query;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.common.paging.PageRequest;
import dev.feedplatform.searchsync.sync.LagProbe;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/search?q=&size=&cursor=} for everyone signed in, and the index's
 * maintenance for moderators: {@code POST /api/admin/search/rebuild} and
 * {@code .../reconcile} (202: the sync leader picks the request up within a second;
 * {@code bin/platform reindex} sets the same flag) and
 * {@code GET /api/admin/search/status}.
 */
@RestController
class SearchController {

	private final PostSearch search;

	private final StringRedisTemplate redis;

	private final LagProbe lag;

	private final String destination;

	SearchController(PostSearch search, StringRedisTemplate redis, LagProbe lag,
			dev.feedplatform.searchsync.SearchSettings settings) {
		this.destination = settings.destination();
		this.search = search;
		this.redis = redis;
		this.lag = lag;
	}

	@GetMapping("/api/search")
	SearchPage search(@RequestParam(required = false) String q, @RequestParam(required = false) String size,
			@RequestParam(required = false) String cursor,
			@RequestParam(name = "last_id", required = false) String lastId, Viewer viewer) {
		if (cursor != null && lastId != null && !cursor.equals(lastId)) {
			throw Problem.badRequest("pass the page's last_id (or its cursor, the same value), not two different ones");
		}
		return this.search.search(q, PageRequest.of(null, size).size(), cursor != null ? cursor : lastId,
				viewer.userId());
	}

	@PostMapping("/api/admin/search/rebuild")
	@ResponseStatus(HttpStatus.ACCEPTED)
	void rebuild(Viewer viewer) {
		viewer.requireModerator();
		this.redis.opsForValue()
			.set(RedisKeys.searchRebuildRequest(this.destination), Long.toString(System.currentTimeMillis()));
	}

	@PostMapping("/api/admin/search/reconcile")
	@ResponseStatus(HttpStatus.ACCEPTED)
	void reconcile(Viewer viewer) {
		viewer.requireModerator();
		this.redis.opsForValue()
			.set(RedisKeys.searchReconcileRequest(this.destination), Long.toString(System.currentTimeMillis()));
	}

	@GetMapping("/api/admin/search/status")
	Map<String, Object> status(Viewer viewer) {
		viewer.requireModerator();
		Map<String, Object> status = new LinkedHashMap<>();
		// Redis keeps every field as text; counts and times go out as JSON numbers (issue
		// 22).
		this.redis.<String, String>opsForHash()
			.entries(RedisKeys.searchStatus(this.destination))
			.forEach((field, value) -> status.put(field,
					value != null && value.matches("-?[0-9]{1,18}") ? (Object) Long.valueOf(value) : value));
		status.put("rebuild_requested",
				Boolean.TRUE.equals(this.redis.hasKey(RedisKeys.searchRebuildRequest(this.destination))));
		double age = this.lag.ageSeconds();
		status.put("lag_age_seconds", Double.isNaN(age) ? null : age);
		// p50, p99
		ValueAtPercentile[] percentiles = this.lag.lag().takeSnapshot().percentileValues();
		status.put("lag_p99_ms", percentiles.length > 1 ? percentiles[1].value(TimeUnit.MILLISECONDS) : null);
		return status;
	}

}
