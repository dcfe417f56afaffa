package dev.feedplatform.user.follow;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.ports.SocialGraph;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * The user module's answer to {@link SocialGraph}: its tables and keys, read by no one
 * else.
 */
@Component
class SocialGraphAdapter implements SocialGraph {

	private final FollowingSet followingSet;

	private final Follows follows;

	private final BigAccounts bigAccounts;

	private final StringRedisTemplate redis;

	SocialGraphAdapter(FollowingSet followingSet, Follows follows, BigAccounts bigAccounts, StringRedisTemplate redis) {
		this.followingSet = followingSet;
		this.follows = follows;
		this.bigAccounts = bigAccounts;
		this.redis = redis;
	}

	@Override
	public Set<Long> following(long follower) {
		return this.followingSet.of(follower);
	}

	@Override
	public boolean follows(long follower, long followee) {
		return this.followingSet.contains(follower, followee);
	}

	@Override
	public List<Long> followersAfter(long accountId, long afterId, int limit) {
		return this.follows.followersAfter(accountId, afterId, limit);
	}

	@Override
	public boolean isBig(long accountId) {
		return this.bigAccounts.isBig(accountId);
	}

	@Override
	public Set<Long> bigAmong(Set<Long> accounts) {
		return this.bigAccounts.among(accounts);
	}

	@Override
	public Versions versions(long reader) {
		List<Object> stamps = this.redis.executePipelined((RedisCallback<Object>) connection -> {
			connection.stringCommands().get(RedisKeys.userCacheGeneration(reader).getBytes(StandardCharsets.UTF_8));
			connection.stringCommands().get(RedisKeys.bigAccountsVersion().getBytes(StandardCharsets.UTF_8));
			return null;
		});
		return new Versions(String.valueOf(stamps.get(0)), String.valueOf(stamps.get(1)));
	}

}
