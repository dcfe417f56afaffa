package dev.feedplatform.publish.fanout;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The write side of inboxes: one Lua call per fan, pipelined per batch. The script adds the post
 * only to a live inbox (its floor key exists), and trims it to the cap in the same atomic step,
 * raising the floor to the oldest id kept. An inbox set it creates (one member after the ZADD: no
 * PTTL call per push) takes the floor's TTL, so it
 * expires with it even if its reader never reads again (reads renew TTLs only now and then). ZADD of a present member changes nothing, so a
 * redelivered batch writes nothing twice. Each script touches one user's keys (one hash tag).
 */
@Component
class Inboxes {

	static final String PUSH = """
			if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
			redis.call('ZADD', KEYS[1], ARGV[1], ARGV[1])
			local n = redis.call('ZCARD', KEYS[1])
			if n == 1 then
			  local ttl = redis.call('PTTL', KEYS[2])
			  if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
			end
			local cap = tonumber(ARGV[2])
			if n > cap then
			  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - cap - 1)
			  local low = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
			  if tonumber(low) > tonumber(redis.call('GET', KEYS[2])) then redis.call('SET', KEYS[2], low, 'KEEPTTL') end
			end
			return 1""";

	private final StringRedisTemplate redis;

	private volatile String sha;

	Inboxes(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/** @return how many live inboxes received the post */
	int push(long postId, long[] fans, int cap) {
		try {
			return pipelined(postId, fans, cap);
		}
		catch (DataAccessException ex) {
			// NOSCRIPT after a Redis restart: load again and redo the batch (idempotent). A pipeline
			// reports it as a RedisPipelineException, which an earlier, narrower catch missed: every
			// fan-out failed until the app restarted (found by bin/platform chaos; issue 14).
			this.sha = null;
			return pipelined(postId, fans, cap);
		}
	}

	private int pipelined(long postId, long[] fans, int cap) {
		byte[] sha = scriptSha().getBytes(StandardCharsets.UTF_8);
		byte[] id = Long.toString(postId).getBytes(StandardCharsets.UTF_8);
		byte[] capacity = Integer.toString(cap).getBytes(StandardCharsets.UTF_8);
		List<Object> results = this.redis.executePipelined((RedisCallback<Object>) connection -> {
			for (long fan : fans) {
				connection.scriptingCommands().evalSha(sha, ReturnType.INTEGER, 2,
						RedisKeys.inbox(fan).getBytes(StandardCharsets.UTF_8), RedisKeys.inboxFloor(fan).getBytes(StandardCharsets.UTF_8),
						id, capacity);
			}
			return null;
		});
		int written = 0;
		for (Object result : results) {
			if (result instanceof Exception ex) {
				throw new org.springframework.data.redis.RedisSystemException("inbox push failed", ex);
			}
			if (result instanceof Long n && n == 1) {
				written++;
			}
		}
		return written;
	}

	private String scriptSha() {
		String current = this.sha;
		if (current == null) {
			current = this.redis.execute((RedisCallback<String>) connection -> connection.scriptingCommands()
				.scriptLoad(PUSH.getBytes(StandardCharsets.UTF_8)));
			this.sha = current;
		}
		return current;
	}

}
