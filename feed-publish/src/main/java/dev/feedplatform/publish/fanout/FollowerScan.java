package dev.feedplatform.publish.fanout;

import java.util.List;
import java.util.function.Consumer;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * An account's followers in follower-id order, one index range scan of {@code follows} per chunk:
 * the planner, the core-fan pick and retraction cleanup all walk a follower list of any length
 * this way.
 */
@Component
public class FollowerScan {

	private final JdbcClient db;

	FollowerScan(JdbcClient db) {
		this.db = db;
	}

	/** Up to {@code limit} followers of {@code accountId} with ids above {@code after}, ascending. */
	public List<Long> after(long accountId, long after, int limit) {
		return this.db.sql("SELECT follower_id FROM follows WHERE followee_id = ? AND follower_id > ? ORDER BY follower_id LIMIT ?")
			.params(accountId, after, limit).query(Long.class).list();
	}

	/** Every follower, {@code chunk} at a time; the last chunk may be short (or empty). */
	public void each(long accountId, int chunk, Consumer<List<Long>> consumer) {
		long after = 0;
		while (true) {
			List<Long> fans = after(accountId, after, chunk);
			consumer.accept(fans);
			if (fans.size() < chunk) {
				return;
			}
			after = fans.get(fans.size() - 1);
		}
	}

}
