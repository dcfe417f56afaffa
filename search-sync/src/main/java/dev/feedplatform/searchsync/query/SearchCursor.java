package dev.feedplatform.searchsync.query;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.id.IdGenerator;

/**
 * Where the next page of a search starts: the last hit's sort values (score, id) and the
 * clock the first page ranked recency against. Keeping that clock fixed keeps every later
 * page's scores comparable with the first page's, so {@code search_after} neither skips
 * nor repeats results as time passes between pages. Opaque to clients (base64 of
 * {@code v1:origin:score:id}).
 */
record SearchCursor(long originMs, double score, long id) {

	/** How far ahead of this node's clock an origin set by another node may be. */
	static final long MAX_CLOCK_AHEAD_MS = 60_000;

	String encode() {
		String raw = "v1:" + this.originMs + ":" + this.score + ":" + this.id;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
	}

	static SearchCursor decode(String token) {
		try {
			String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":");
			if (parts.length != 4 || !parts[0].equals("v1")) {
				throw new IllegalArgumentException();
			}
			double score = Double.parseDouble(parts[2]);
			long origin = Long.parseLong(parts[1]);
			long id = Long.parseLong(parts[3]);
			// Checked here, not by the search node: a crafted value it rejects was a 503
			// (issue 15).
			// Scores are never negative; the origin is a time this API could have handed
			// out.
			if (!Double.isFinite(score) || score < 0 || id <= 0 || origin < IdGenerator.EPOCH_MS
					|| origin > System.currentTimeMillis() + MAX_CLOCK_AHEAD_MS) {
				throw new IllegalArgumentException();
			}
			return new SearchCursor(origin, score, id);
		}
		catch (IllegalArgumentException ex) {
			throw Problem.badRequest("cursor is not one this API returned");
		}
	}

}
