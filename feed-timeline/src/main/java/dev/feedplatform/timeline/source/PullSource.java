package dev.feedplatform.timeline.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Pull mode: the newest post ids of a set of authors below a cursor, from their Redis outboxes
 * (one pipelined round trip for all authors) and, for authors whose outbox can't answer (lost, or
 * trimmed above the range asked), from MariaDB in one query. Serves big accounts on every read,
 * deep scrolls past the inbox, returning users, regeneration and backfill.
 */
@Component
public class PullSource {

	private final StringRedisTemplate redis;

	private final JdbcClient db;

	PullSource(StringRedisTemplate redis, JdbcClient db) {
		this.redis = redis;
		this.db = db;
	}

	/** Up to {@code limit} ids, newest first, each &lt; {@code below}. */
	public List<Long> pull(Collection<Long> authors, long below, int limit) {
		return pull(authors, 0, below, limit);
	}

	/**
	 * Up to {@code limit} ids, newest first, each in {@code (above, below)}. A caller that already
	 * holds {@code limit} ids above some id from elsewhere passes it as {@code above}: nothing lower
	 * can make its page, and each outbox then answers a few ids instead of {@code limit}.
	 */
	public List<Long> pull(Collection<Long> authors, long above, long below, int limit) {
		if (authors.isEmpty() || limit <= 0 || below <= above + 1) {
			return List.of();
		}
		List<Long> order = List.copyOf(authors);
		Range<Long> range = Range.open(above, below);
		List<Object> results = this.redis.executePipelined((RedisCallback<Object>) connection -> {
			for (Long author : order) {
				connection.stringCommands().get(RedisKeys.outboxFloor(author).getBytes());
				connection.zSetCommands().zRevRangeByScore(RedisKeys.outbox(author).getBytes(), range, Limit.limit().count(limit));
			}
			return null;
		});
		TreeSet<Long> merged = new TreeSet<>(java.util.Comparator.reverseOrder());
		List<Long> fromDatabase = new ArrayList<>();
		for (int i = 0; i < order.size(); i++) {
			Object floor = results.get(2 * i);
			@SuppressWarnings("unchecked")
			Collection<String> ids = (Collection<String>) results.get(2 * i + 1);
			if (floor == null) {
				fromDatabase.add(order.get(i)); // outbox lost: the database answers for this author
				continue;
			}
			ids.forEach(id -> merged.add(Long.valueOf(id)));
			if (ids.size() < limit && Long.parseLong(floor.toString()) > above + 1) {
				fromDatabase.add(order.get(i)); // the outbox ran out above its floor, inside the range: older posts are only in MariaDB
			}
		}
		if (!fromDatabase.isEmpty()) {
			merged.addAll(this.db.sql("SELECT id FROM posts WHERE author_id IN (:authors) AND id > :above AND id < :below AND status = 0 "
					+ "ORDER BY id DESC LIMIT :limit")
				.param("authors", fromDatabase).param("above", above).param("below", below).param("limit", limit).query(Long.class).list());
		}
		return merged.stream().limit(limit).toList();
	}

}
