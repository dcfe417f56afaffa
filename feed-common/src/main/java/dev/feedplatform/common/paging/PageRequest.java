package dev.feedplatform.common.paging;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.id.Ids;

/**
 * A {@code ?last_id=&size=} request. {@code lastId} is exclusive: the next page starts
 * strictly below it, so a page never repeats the previous page's last item, and since ids
 * only grow, items created meanwhile land above the cursor and never shift the page.
 *
 * @param lastId the cursor, or {@code null} for "from the newest"
 * @param size items wanted, 1..{@value #MAX_SIZE}
 */
public record PageRequest(Long lastId, int size) {

	/** What clients get without asking: one phone screen and a bit. */
	public static final int DEFAULT_SIZE = 20;

	/** Larger pages are capped, not refused (API.md): they would only cost latency. */
	public static final int MAX_SIZE = 100;

	public static PageRequest of(String lastId, String size) {
		Long cursor = (lastId == null || lastId.isEmpty()) ? null : Ids.parse(lastId, "last_id");
		int n = DEFAULT_SIZE;
		if (size != null) {
			try {
				n = Integer.parseInt(size.trim());
			}
			catch (NumberFormatException ex) {
				throw Problem.badRequest("size must be a number");
			}
			if (n < 1) {
				throw Problem.badRequest("size must be at least 1");
			}
			n = Math.min(n, MAX_SIZE);
		}
		return new PageRequest(cursor, n);
	}

	public static PageRequest first(int size) {
		return new PageRequest(null, size);
	}

	/** The exclusive upper bound for ids on this page. */
	public long below() {
		return this.lastId == null ? Long.MAX_VALUE : this.lastId;
	}

}
