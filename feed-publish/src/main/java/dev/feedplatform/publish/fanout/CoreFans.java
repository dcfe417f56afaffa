package dev.feedplatform.publish.fanout;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.id.IdGenerator;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.ports.ActiveUsers;
import dev.feedplatform.runtime.ports.HomeInboxes;
import dev.feedplatform.runtime.ports.UserDirectory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * A big account's core fans: the followers it pushes to, the {@code N} most recently
 * active, with {@code N} set by its tier ({@link FanOutSettings#coreTiers()}); everyone
 * else pulls it (seed 003: "大V推给核心粉丝，普通粉丝拉取", tiered to bound the push; issue 19).
 *
 * <p>
 * <b>Why a tier change never loses or doubles a post.</b> Each core fan's inbox carries a
 * record ({@link RedisKeys#inboxCore}, written through the inbox's owner,
 * {@link HomeInboxes}: account &rarr; S) meaning "every post of this account with id &gt;
 * S is pushed here"; the timeline pulls the account only below
 * {@code max(S + 1, inbox floor)} and pulls it everywhere for a reader without the
 * record. So:
 * <ul>
 * <li>joining: the fan is added to the core set first, then its record is written with S
 * = the smallest id minted {@link FanOutSettings#coreJoinMargin()} from now. A post with
 * a larger id was minted after the fan joined, so its plan (which reads the set after the
 * post is stored) pushes to it; older posts stay pulled;</li>
 * <li>leaving: the record is deleted first, then the fan leaves the set, so from that
 * moment the reader pulls again; pushes still in flight land in an inbox whose reader
 * also pulls, and the merge keeps each id once;</li>
 * <li>a regenerated inbox drops the record (the timeline module does this with the build
 * claim): a rebuilt inbox holds only normal followees' posts. The next recompute writes
 * the record again.</li>
 * </ul>
 * A post the reader sees twice (pushed and pulled) is one id in a sorted merge, so it
 * shows once.
 */
@Component
public class CoreFans implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(CoreFans.class);

	/** Redis round trips are pipelined this many commands at a time. */
	private static final int CHUNK = 1_000;

	private final StringRedisTemplate redis;

	private final HomeInboxes inboxes;

	private final FollowerScan followers;

	private final ActiveUsers activeUsers;

	private final UserDirectory users;

	private final RedissonClient redisson;

	private final FanOutSettings settings;

	private final Clock clock;

	private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

	CoreFans(StringRedisTemplate redis, HomeInboxes inboxes, FollowerScan followers, ActiveUsers activeUsers,
			UserDirectory users, RedissonClient redisson, FanOutSettings settings, Clock clock) {
		this.redis = redis;
		this.inboxes = inboxes;
		this.followers = followers;
		this.activeUsers = activeUsers;
		this.users = users;
		this.redisson = redisson;
		this.settings = settings;
		this.clock = clock;
	}

	/** The account's core fans now (empty below every tier, or before the first pick). */
	public long[] members(long accountId) {
		Set<String> members = this.redis.opsForSet().members(RedisKeys.coreFans(accountId));
		return members == null ? new long[0] : members.stream().mapToLong(Long::parseLong).toArray();
	}

	/**
	 * Starts a recompute in the background when the account's pick is older than
	 * {@link FanOutSettings#coreFansEvery()}: one instance wins the freshness key, the
	 * post being planned goes to the current set meanwhile (the readers a pick adds pull
	 * until their record exists).
	 */
	void refreshIfDue(long accountId) {
		Boolean due = this.redis.opsForValue()
			.setIfAbsent(RedisKeys.coreFansFresh(accountId), "1", this.settings.coreFansEvery());
		if (Boolean.TRUE.equals(due)) {
			this.background.execute(() -> {
				try {
					recompute(accountId);
				}
				catch (RuntimeException ex) {
					// the next post asks again
					this.redis.delete(RedisKeys.coreFansFresh(accountId));
					log.warn("core fans of {} not recomputed: {}", accountId, ex.toString());
				}
			});
		}
	}

	/**
	 * Picks the account's core fans again: its tier's {@code N} most recently active
	 * followers. One instance at a time per account (a Redisson lock with its watchdog: a
	 * pick over a million followers takes seconds). Blocks until done; another instance's
	 * pick in progress makes it return at once.
	 * @return whether this call did the pick
	 */
	public boolean recompute(long accountId) {
		RLock lock = this.redisson.getLock(RedisKeys.coreFansLock(accountId));
		if (!lock.tryLock()) {
			return false;
		}
		try {
			long followerCount = this.users.user(accountId).map(UserDirectory.UserSummary::followers).orElse(0L);
			int n = this.settings.coreFansFor(followerCount);
			apply(accountId, n == 0 ? Set.of() : mostActive(accountId, n));
			this.redis.opsForValue().set(RedisKeys.coreFansFresh(accountId), "1", this.settings.coreFansEvery());
			return true;
		}
		finally {
			lock.unlock();
		}
	}

	private record Seen(long fan, long at) {
	}

	/**
	 * The {@code n} followers seen last within the active window: a bounded heap over one
	 * scan of the follower index.
	 */
	Set<Long> mostActive(long accountId, int n) {
		long since = this.clock.millis() - FanOutPlan.activeWindow(this.inboxes.liveWithoutReads()).toMillis();
		PriorityQueue<Seen> top = new PriorityQueue<>(Comparator.comparingLong(Seen::at).thenComparingLong(Seen::fan));
		this.followers.each(accountId, FanOut.SCAN, chunk -> {
			for (Map.Entry<Long, Long> seen : this.activeUsers.lastSeenAmong(chunk, since).entrySet()) {
				top.add(new Seen(seen.getKey(), seen.getValue()));
				if (top.size() > n) {
					top.poll();
				}
			}
		});
		Set<Long> picked = new HashSet<>();
		top.forEach(seen -> picked.add(seen.fan()));
		return picked;
	}

	/**
	 * Moves the account's core set to {@code next}, in the order the class doc argues
	 * for.
	 */
	void apply(long accountId, Set<Long> next) {
		Set<Long> current = new HashSet<>();
		for (long fan : members(accountId)) {
			current.add(fan);
		}
		List<Long> leaving = current.stream().filter(fan -> !next.contains(fan)).toList();
		List<Long> joining = next.stream().filter(fan -> !current.contains(fan)).toList();
		for (List<Long> chunk : chunks(leaving)) {
			this.inboxes.dropCoreFan(accountId, chunk);
			this.redis.opsForSet().remove(RedisKeys.coreFans(accountId), chunk.stream().map(String::valueOf).toArray());
		}
		for (List<Long> chunk : chunks(joining)) {
			this.redis.opsForSet()
				.add(RedisKeys.coreFans(accountId), chunk.stream().map(String::valueOf).toArray(String[]::new));
		}
		// Every member, not only the joining ones: a record dropped by an inbox rebuild
		// comes back.
		for (List<Long> chunk : chunks(List.copyOf(next))) {
			// S per chunk, from the clock now: a chunk written late (GC, a slow Redis)
			// still promises
			// only posts minted a full margin after its own write.
			this.inboxes.recordCoreFan(accountId, chunk,
					IdGenerator.smallestIdAt(this.clock.millis() + this.settings.coreJoinMargin().toMillis()));
			dropRecordsOfNonMembers(accountId, chunk);
		}
		if (!leaving.isEmpty() || !joining.isEmpty()) {
			log.info("core fans of {}: {} now ({} joined, {} left)", accountId, next.size(), joining.size(),
					leaving.size());
		}
	}

	/**
	 * A pick that lost its lock mid-way (watchdog lapse, failover) may have written
	 * records for fans a newer pick removed from the set: they would be neither pushed
	 * nor pulled. So after writing, records of fans no longer in the set are deleted
	 * again; a gap lasts one round trip, not forever.
	 */
	private void dropRecordsOfNonMembers(long accountId, List<Long> fans) {
		Map<Object, Boolean> member = this.redis.opsForSet()
			.isMember(RedisKeys.coreFans(accountId), fans.stream().map(String::valueOf).toArray());
		List<Long> gone = fans.stream()
			.filter(fan -> member == null || !Boolean.TRUE.equals(member.get(Long.toString(fan))))
			.toList();
		if (gone.isEmpty()) {
			return;
		}
		this.inboxes.dropCoreFan(accountId, gone);
	}

	private static List<List<Long>> chunks(List<Long> ids) {
		List<List<Long>> chunks = new ArrayList<>();
		for (int i = 0; i < ids.size(); i += CHUNK) {
			chunks.add(ids.subList(i, Math.min(ids.size(), i + CHUNK)));
		}
		return chunks;
	}

	@Override
	public void destroy() {
		this.background.shutdown();
	}

}
