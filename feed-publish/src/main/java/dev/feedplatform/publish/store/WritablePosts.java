package dev.feedplatform.publish.store;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.feedplatform.common.error.Problem;
import dev.feedplatform.runtime.ports.Blacklist;
import dev.feedplatform.runtime.ports.PostGuard;
import org.springframework.stereotype.Component;

/**
 * {@link PostGuard}: one Redis HGET (the blacklist, which a retraction fills before it
 * changes the row and keeps for 30 s, and a moderator's entry until lifted) and a local
 * cache of the row's state, refreshed per post after {@link #STATE_TTL}. The cache may be
 * stale for about that long after a retraction, which is why it refreshes well within the
 * blacklist entry that covers the gap: a retracted post is refused from the moment the
 * retraction answered, on every instance.
 */
@Component
class WritablePosts implements PostGuard {

	/**
	 * Shorter than a retraction's blacklist entry (30 s), so a stale "visible" never
	 * outlives it.
	 */
	static final Duration STATE_TTL = Duration.ofSeconds(10);

	private final PostMapper db;

	private final Blacklist blacklist;

	/**
	 * post id → writable (exists, status 0); absent and retracted posts cached as false.
	 * Refreshed in the background after {@link #STATE_TTL}, the last answer served
	 * meanwhile and while MariaDB can't answer, so views and shares keep working through
	 * a database outage.
	 */
	private final LoadingCache<Long, Boolean> writable;

	WritablePosts(PostMapper db, Blacklist blacklist) {
		this.db = db;
		this.blacklist = blacklist;
		this.writable = Caffeine.newBuilder()
			.maximumSize(200_000)
			.refreshAfterWrite(STATE_TTL)
			.expireAfterWrite(Duration.ofMinutes(30))
			.build(id -> Integer.valueOf(0).equals(this.db.status(id)));
	}

	@Override
	public void requireWritable(long postId) {
		boolean visible = this.writable.get(postId);
		if (!visible || this.blacklist.isBlocked(postId)) {
			throw Problem.notFound("no post " + postId);
		}
	}

}
