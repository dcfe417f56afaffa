package dev.feedplatform.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.feedplatform.common.auth.TokenCodec;
import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.id.IdGenerator;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Seeds benchmark data in bulk (JDBC batches, pipelined Redis) in exactly the shapes the
 * product writes, then removes it: every seeded user has a phone no real user can have
 * ("b…", "d…"), and cleaning up removes those users and what they wrote, nothing else.
 */
final class Fixture {

	private static final int CHUNK = 1000;

	private final JdbcTemplate jdbc;

	private final StringRedisTemplate redis;

	private final LeasedIdGenerator ids;

	private final TokenCodec tokens;

	private final List<Long> seededUsers = new ArrayList<>();

	Fixture(JdbcTemplate jdbc, StringRedisTemplate redis, LeasedIdGenerator ids, TokenCodec tokens) {
		this.jdbc = jdbc;
		this.redis = redis;
		this.ids = ids;
		this.tokens = tokens;
	}

	long nextId() {
		return this.ids.next();
	}

	long[] users(String tag, int n) {
		long[] created = new long[n];
		for (int i = 0; i < n; i++) {
			created[i] = this.ids.next();
			this.seededUsers.add(created[i]);
		}
		for (int from = 0; from < n; from += CHUNK) {
			List<Object[]> rows = new ArrayList<>();
			for (int i = from; i < Math.min(n, from + CHUNK); i++) {
				rows.add(new Object[] { created[i], "b" + created[i], tag + "-" + i });
			}
			this.jdbc.batchUpdate("INSERT INTO users (id, phone, nickname) VALUES (?, ?, ?)", rows);
		}
		return created;
	}

	/**
	 * {@code n} users with consecutive ids, written by MariaDB itself
	 * ({@code INSERT … SELECT} from its sequence engine): a million rows in seconds,
	 * where row batches take minutes. The ids lie a second ahead of the generator, and
	 * this returns only once the generator has passed them, so it never mints one of them
	 * later.
	 */
	long[] denseUsers(String tag, int n) {
		long base = IdGenerator
			.smallestIdAt(Math.max(System.currentTimeMillis(), IdGenerator.epochMsOf(this.ids.next())) + 1_000);
		this.jdbc.update(
				"INSERT INTO users (id, phone, nickname) SELECT ? + seq, CONCAT('d', ? + seq), CONCAT(?, seq) FROM seq_0_to_"
						+ (n - 1),
				base, base, tag + "-");
		long[] ids = new long[n];
		for (int i = 0; i < n; i++) {
			ids[i] = base + i;
		}
		while (this.ids.next() <= base + n) {
			Bench.sleep(10);
		}
		return ids;
	}

	/** {@link #followedBy} for a {@link #denseUsers} range, in one statement. */
	void followedByDense(long followee, long[] dense) {
		this.jdbc.update(
				"INSERT INTO follows (follower_id, followee_id) SELECT ? + seq, ? FROM seq_0_to_" + (dense.length - 1),
				dense[0], followee);
		this.jdbc.update("UPDATE users SET followers_count = followers_count + ? WHERE id = ?", dense.length, followee);
		this.jdbc.update("UPDATE users SET following_count = 1 WHERE id BETWEEN ? AND ?", dense[0],
				dense[dense.length - 1]);
	}

	/**
	 * Adds users to what {@link #cleanUp} removes from Redis (users {@link #users} didn't
	 * create).
	 */
	void seeded(long[] users) {
		Arrays.stream(users).forEach(this.seededUsers::add);
	}

	/** A creator and its fans. */
	record Audience(long creator, long[] fans) {
	}

	/**
	 * A new creator followed by {@code n} new fans, all active with live inboxes: whom
	 * fan-out pushes to.
	 */
	Audience creatorWithActiveFans(String tag, int n) {
		long creator = users(tag + "-creator", 1)[0];
		long[] fans = users(tag + "-fan", n);
		followedBy(creator, fans);
		activeReaders(fans);
		return new Audience(creator, fans);
	}

	/**
	 * Every follower follows the followee (rows and counts, as the follow graph writes
	 * them).
	 */
	void followedBy(long followee, long[] followers) {
		edges(Arrays.stream(followers).mapToObj(f -> new long[] { f, followee }).toList());
		this.jdbc.update("UPDATE users SET followers_count = followers_count + ? WHERE id = ?", followers.length,
				followee);
		this.jdbc.batchUpdate("UPDATE users SET following_count = following_count + 1 WHERE id = ?",
				Arrays.stream(followers).mapToObj(f -> new Object[] { f }).toList());
	}

	/** The follower follows every followee. */
	void follows(long follower, long[] followees) {
		edges(Arrays.stream(followees).mapToObj(f -> new long[] { follower, f }).toList());
		this.jdbc.update("UPDATE users SET following_count = following_count + ? WHERE id = ?", followees.length,
				follower);
		this.jdbc.batchUpdate("UPDATE users SET followers_count = followers_count + 1 WHERE id = ?",
				Arrays.stream(followees).mapToObj(f -> new Object[] { f }).toList());
	}

	private void edges(List<long[]> edges) {
		for (int from = 0; from < edges.size(); from += CHUNK) {
			List<Object[]> rows = edges.subList(from, Math.min(edges.size(), from + CHUNK))
				.stream()
				.map(e -> new Object[] { e[0], e[1] })
				.toList();
			this.jdbc.batchUpdate("INSERT INTO follows (follower_id, followee_id) VALUES (?, ?)", rows);
		}
	}

	/**
	 * Users seen just now with a live, empty inbox: what a reader who opened the app
	 * looks like.
	 */
	void activeReaders(long[] users) {
		String now = Long.toString(System.currentTimeMillis());
		for (int from = 0; from < users.length; from += CHUNK) {
			long[] chunk = Arrays.copyOfRange(users, from, Math.min(users.length, from + CHUNK));
			this.redis.executePipelined((RedisCallback<Object>) c -> {
				for (long user : chunk) {
					c.zSetCommands()
						.zAdd(bytes(RedisKeys.lastActive(user)), Double.parseDouble(now), bytes(Long.toString(user)));
					c.stringCommands().set(bytes(RedisKeys.inboxFloor(user)), bytes("0"));
					c.keyCommands().pExpire(bytes(RedisKeys.inboxFloor(user)), Duration.ofHours(2).toMillis());
				}
				return null;
			});
		}
	}

	/** Marks accounts big (pulled at read time), in MariaDB and the cached set. */
	void big(long[] accounts) {
		this.jdbc.batchUpdate("UPDATE users SET big_account = 1 WHERE id = ?",
				Arrays.stream(accounts).mapToObj(a -> new Object[] { a }).toList());
		this.redis.opsForSet()
			.add(RedisKeys.bigAccounts(), Arrays.stream(accounts).mapToObj(Long::toString).toArray(String[]::new));
	}

	/**
	 * {@code perAuthor} posts for each author, interleaved in time as real authors post,
	 * stored and added to the outboxes exactly as publishing does. Answers the post ids,
	 * oldest first.
	 */
	long[] posts(long[] authors, int perAuthor) {
		int n = authors.length * perAuthor;
		long[] postIds = new long[n];
		long[] authorOf = new long[n];
		for (int i = 0; i < n; i++) {
			postIds[i] = this.ids.next();
			authorOf[i] = authors[i % authors.length];
		}
		for (int from = 0; from < n; from += CHUNK) {
			List<Object[]> rows = new ArrayList<>();
			for (int i = from; i < Math.min(n, from + CHUNK); i++) {
				rows.add(new Object[] { postIds[i], authorOf[i], "IMAGE", "post " + i, "benchmark text",
						"https://cdn.example.com/" + i + ".jpg", "https://cdn.example.com/" + i + ".jpg" });
			}
			this.jdbc.batchUpdate(
					"INSERT INTO posts (id, author_id, type, title, body, media, cover, fanout_state, created_at) "
							+ "VALUES (?, ?, ?, ?, ?, ?, ?, 1, CURRENT_TIMESTAMP(3))",
					rows);
			int start = from;
			this.redis.executePipelined((RedisCallback<Object>) c -> {
				for (int i = start; i < Math.min(n, start + CHUNK); i++) {
					byte[] id = bytes(Long.toString(postIds[i]));
					c.zSetCommands().zAdd(bytes(RedisKeys.outbox(authorOf[i])), postIds[i], id);
					c.stringCommands().setNX(bytes(RedisKeys.outboxFloor(authorOf[i])), bytes("0"));
				}
				return null;
			});
		}
		return postIds;
	}

	String token(long userId) {
		return this.tokens.issue(new Viewer(userId, false), Instant.now().plus(Duration.ofHours(2)));
	}

	/**
	 * A token with the moderator role (what login grants the phones in
	 * {@code feed.moderators}).
	 */
	String moderatorToken(long userId) {
		return this.tokens.issue(new Viewer(userId, true), Instant.now().plus(Duration.ofHours(2)));
	}

	/**
	 * The benchmark's users, by their phone: {@link #users} writes "b…",
	 * {@link #denseUsers} "d…", and a real phone is digits ({@code LoggingIn}), so a
	 * platform running beside the benchmark never loses a row it wrote meanwhile (rows
	 * were once removed by id range, which took those too).
	 */
	private static final String BENCH_USERS = "(SELECT id FROM users WHERE phone LIKE 'b%' OR phone LIKE 'd%')";

	/**
	 * Removes every row and key this run seeded (and what its users wrote: posts, chats,
	 * gifts, orders).
	 */
	void cleanUp() {
		this.jdbc.update("DELETE FROM follows WHERE follower_id IN " + BENCH_USERS);
		this.jdbc.update("DELETE FROM follows WHERE followee_id IN " + BENCH_USERS);
		this.jdbc.update("DELETE FROM post_blacklist WHERE post_id IN (SELECT id FROM posts WHERE author_id IN "
				+ BENCH_USERS + ")");
		this.jdbc.update("DELETE FROM posts WHERE author_id IN " + BENCH_USERS);
		this.jdbc.update("DELETE FROM im_messages WHERE sender_id IN " + BENCH_USERS);
		this.jdbc.update(
				"DELETE FROM im_conversations WHERE id IN (SELECT conversation FROM im_user_conversations WHERE user_id IN "
						+ BENCH_USERS + ")");
		this.jdbc.update("DELETE FROM im_user_conversations WHERE user_id IN " + BENCH_USERS);
		this.jdbc.update("DELETE FROM im_device_cursors WHERE user_id IN " + BENCH_USERS);
		this.jdbc.update("DELETE FROM im_group_members WHERE user_id IN " + BENCH_USERS
				+ " OR group_id IN (SELECT id FROM im_groups WHERE owner_id IN " + BENCH_USERS + ")");
		this.jdbc.update("DELETE FROM im_groups WHERE owner_id IN " + BENCH_USERS);
		// The economy's rows of this run (gifts, orders and their ledger legs; the bench
		// users' wallets).
		this.jdbc.update("DELETE FROM ledger_entries WHERE account_owner IN " + BENCH_USERS
				+ " OR txn_id IN (SELECT id FROM gifts WHERE sender_id IN " + BENCH_USERS
				+ ") OR txn_id IN (SELECT id FROM recharge_orders WHERE user_id IN " + BENCH_USERS + ")");
		this.jdbc.update("DELETE FROM gifts WHERE sender_id IN " + BENCH_USERS);
		this.jdbc.update("DELETE FROM recharge_orders WHERE user_id IN " + BENCH_USERS);
		this.jdbc.update("DELETE FROM wallets WHERE user_id IN " + BENCH_USERS);
		this.jdbc.update("DELETE FROM users WHERE phone LIKE 'b%' OR phone LIKE 'd%'");
		for (int from = 0; from < this.seededUsers.size(); from += CHUNK) {
			List<Long> chunk = this.seededUsers.subList(from, Math.min(this.seededUsers.size(), from + CHUNK));
			List<String> keys = new ArrayList<>();
			for (long user : chunk) {
				keys.addAll(List.of(RedisKeys.inbox(user), RedisKeys.inboxFloor(user), RedisKeys.outbox(user),
						RedisKeys.outboxFloor(user), RedisKeys.following(user), RedisKeys.userProfile(user),
						RedisKeys.userCacheGeneration(user), RedisKeys.imDevices(user), RedisKeys.imSendRate(user),
						RedisKeys.inboxCore(user), RedisKeys.coreFans(user), RedisKeys.coreFansFresh(user)));
			}
			// One DEL per key: each key is its own Redis Cluster slot.
			this.redis.executePipelined((RedisCallback<Object>) c -> {
				keys.forEach(k -> c.keyCommands().del(bytes(k)));
				return null;
			});
			chunk.stream()
				.collect(java.util.stream.Collectors.groupingBy(RedisKeys::lastActive))
				.forEach((shard, members) -> this.redis.opsForZSet()
					.remove(shard, members.stream().map(Object::toString).toArray()));
			this.redis.opsForSet().remove(RedisKeys.bigAccounts(), chunk.stream().map(Object::toString).toArray());
		}
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
