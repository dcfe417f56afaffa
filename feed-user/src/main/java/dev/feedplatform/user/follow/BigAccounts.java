package dev.feedplatform.user.follow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@link RedisKeys#bigAccounts()} in step with {@code users.big_account}, so the
 * timeline learns which followees to pull with one SMISMEMBER. Promotion is sticky, so
 * the set only grows; a sentinel member tells readers whether the set is complete (else
 * they ask the database), and {@link RedisKeys#bigAccountsVersion()} moves after every
 * addition so local copies notice.
 */
@Component
class BigAccounts {

	private final StringRedisTemplate redis;

	private final FollowMapper db;

	BigAccounts(StringRedisTemplate redis, FollowMapper db) {
		this.redis = redis;
		this.db = db;
	}

	/**
	 * After a follow committed: promote the followee in Redis if the database promoted
	 * it.
	 */
	void followerAdded(long followee) {
		boolean big = Boolean.TRUE.equals(this.db.bigAccount(followee));
		if (big) {
			this.redis.opsForSet().add(RedisKeys.bigAccounts(), Long.toString(followee));
			// after the SADD: a reader that sees the new version sees the member
			this.redis.opsForValue().increment(RedisKeys.bigAccountsVersion());
		}
	}

	/**
	 * Whether MariaDB says the account is big now (the truth the fan-out planner goes
	 * by).
	 */
	boolean isBig(long accountId) {
		return Boolean.TRUE.equals(this.db.bigAccount(accountId));
	}

	/**
	 * Which of the accounts are big: one SMISMEMBER with the marker, MariaDB while the
	 * set is incomplete (Redis lost it).
	 */
	Set<Long> among(Set<Long> accounts) {
		if (accounts.isEmpty()) {
			return Set.of();
		}
		List<Object> members = new ArrayList<>(accounts.size() + 1);
		members.add(RedisKeys.LOADED_MEMBER);
		accounts.forEach(id -> members.add(Long.toString(id)));
		Map<Object, Boolean> isMember = this.redis.opsForSet().isMember(RedisKeys.bigAccounts(), members.toArray());
		if (isMember == null || !Boolean.TRUE.equals(isMember.get(RedisKeys.LOADED_MEMBER))) {
			return new HashSet<>(this.db.bigAmong(accounts));
		}
		Set<Long> big = new HashSet<>();
		for (Long id : accounts) {
			if (Boolean.TRUE.equals(isMember.get(Long.toString(id)))) {
				big.add(id);
			}
		}
		return big;
	}

	@EventListener(ApplicationReadyEvent.class)
	void load() {
		List<String> members = new ArrayList<>();
		this.db.allBig().forEach(id -> members.add(Long.toString(id)));
		members.add(RedisKeys.LOADED_MEMBER);
		this.redis.opsForSet().add(RedisKeys.bigAccounts(), members.toArray(String[]::new));
		this.redis.opsForValue().increment(RedisKeys.bigAccountsVersion());
	}

}
