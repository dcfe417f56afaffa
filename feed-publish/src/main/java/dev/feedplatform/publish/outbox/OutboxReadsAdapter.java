package dev.feedplatform.publish.outbox;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.ports.OutboxReads;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@link OutboxReads} port: the outboxes {@link Outboxes} writes, read for the
 * timeline's pull, each call one pipelined round trip (a floor GET and a range read per
 * author).
 */
@Component
class OutboxReadsAdapter implements OutboxReads {

	private final StringRedisTemplate redis;

	OutboxReadsAdapter(StringRedisTemplate redis) {
		this.redis = redis;
	}

	@Override
	public List<Slice> newest(List<Long> authors, int count) {
		return read(authors, (connection, outbox) -> connection.zSetCommands().zRevRange(outbox, 0, count - 1));
	}

	@Override
	public List<Slice> range(List<Long> authors, long above, long below, int limit) {
		Range<Long> range = Range.open(above, below);
		return read(authors, (connection, outbox) -> connection.zSetCommands()
			.zRevRangeByScore(outbox, range, Limit.limit().count(limit)));
	}

	@Override
	public List<Long> latestOfBigAccounts(List<Long> authors) {
		if (authors.isEmpty()) {
			return List.of(); // ZMSCORE needs a member
		}
		List<Double> scores = this.redis.opsForZSet()
			.score(RedisKeys.bigLatest(), authors.stream().map(String::valueOf).toArray());
		List<Long> latest = new ArrayList<>(authors.size());
		for (int i = 0; i < authors.size(); i++) {
			Double score = scores == null ? null : scores.get(i);
			latest.add(score == null ? null : score.longValue());
		}
		return latest;
	}

	private interface RangeRead {

		void queue(RedisConnection connection, byte[] outbox);

	}

	private List<Slice> read(List<Long> authors, RangeRead rangeRead) {
		if (authors.isEmpty()) {
			return List.of();
		}
		List<Object> results = this.redis.executePipelined((RedisCallback<Object>) connection -> {
			for (Long author : authors) {
				connection.stringCommands().get(RedisKeys.outboxFloor(author).getBytes());
				rangeRead.queue(connection, RedisKeys.outbox(author).getBytes());
			}
			return null;
		});
		List<Slice> slices = new ArrayList<>(authors.size());
		for (int i = 0; i < authors.size(); i++) {
			Object floor = results.get(2 * i);
			if (floor == null) {
				slices.add(new Slice(null, List.of()));
				continue;
			}
			@SuppressWarnings("unchecked")
			Collection<String> ids = (Collection<String>) results.get(2 * i + 1);
			slices.add(new Slice(Long.valueOf(floor.toString()), ids.stream().map(Long::valueOf).toList()));
		}
		return slices;
	}

}
