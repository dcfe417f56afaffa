package dev.feedplatform.common.keys;

/**
 * Every Redis key the platform uses, in one place, so their layout can be checked for
 * Redis Cluster: a key that a script or MULTI touches together with another carries the
 * same {@code {hash tag}}. Keys of one user's data are tagged by user id; keys of one
 * post by post id.
 */
public final class RedisKeys {

	/**
	 * The member (or hash field) that marks a cached set or hash as complete, so an empty
	 * answer is still a cached answer and a missing marker sends readers to MariaDB:
	 * {@code "0"}, since no id is ever 0. Used by the following sets, the big-account set
	 * and the blacklist.
	 */
	public static final String LOADED_MEMBER = "0";

	private RedisKeys() {
	}

	/** String: the pending login code for a phone. */
	public static String loginCode(String phone) {
		return "auth:code:{" + phone + "}";
	}

	/** Counter: wrong code attempts against the pending code. */
	public static String loginAttempts(String phone) {
		return "auth:tries:{" + phone + "}";
	}

	/** Flag: a code was sent recently; throttles SMS sending per phone. */
	public static String loginThrottle(String phone) {
		return "auth:sent:{" + phone + "}";
	}

	/** Hash: cached profile of a user (nickname, counts, big-account flag). */
	public static String userProfile(long userId) {
		return "user:{" + userId + "}:profile";
	}

	/**
	 * Sorted set: ids the user follows, scored by follow time; a sentinel member marks a
	 * complete copy.
	 */
	public static String following(long userId) {
		return "user:{" + userId + "}:following";
	}

	/**
	 * Counter: bumped by every change to a user's cached data, so loads that started
	 * earlier can't fill stale copies.
	 */
	public static String userCacheGeneration(long userId) {
		return "user:{" + userId + "}:gen";
	}

	/**
	 * Shards of the last-active index (issue 21): one sorted set for every user would be
	 * one Redis Cluster slot holding the whole user base (seed 003 on big keys), 10M
	 * users about 1 GB on one node; 64 spread it over every master of any cluster up to
	 * 64.
	 */
	public static final int LAST_ACTIVE_SHARDS = 64;

	/**
	 * The shard of the last-active index that holds this user: a sorted set of users
	 * scored by last-active epoch ms (fan-out asks it which fans are active), in a hash
	 * tag of its own. The shard is a hash of the whole id, not the id mod
	 * {@link #LAST_ACTIVE_SHARDS}: an id's low bits are its millisecond's sequence, which
	 * is 0 for nearly every sign-up, so a plain mod put almost every user in shard 0.
	 */
	public static String lastActive(long userId) {
		return "users:last-active:{" + Math.floorMod(mix(userId), LAST_ACTIVE_SHARDS) + "}";
	}

	/**
	 * MurmurHash3's 64-bit finaliser: every bit of the id moves every bit of the hash.
	 */
	private static long mix(long value) {
		long h = value;
		h ^= h >>> 33;
		h *= 0xff51afd7ed558ccdL;
		h ^= h >>> 33;
		h *= 0xc4ceb9fe1a85ec53L;
		h ^= h >>> 33;
		return h;
	}

	/**
	 * String: lease on an id-generator worker slot; value = the holder's random token.
	 */
	public static String idWorker(int workerId) {
		return "ids:{worker:" + workerId + "}:lease";
	}

	/**
	 * String: the last epoch ms a worker slot has minted ids for; shares the lease's hash
	 * tag.
	 */
	public static String idWorkerFloor(int workerId) {
		return "ids:{worker:" + workerId + "}:floor";
	}

	/** Sorted set: a user's recent post ids (their outbox), scored by id. */
	public static String outbox(long userId) {
		return "user:{" + userId + "}:outbox";
	}

	/**
	 * String: the outbox holds every visible post of its author with id >= this value
	 * ("0": all). Absent means the outbox is not trustworthy (Redis lost it) and readers
	 * use the database.
	 */
	public static String outboxFloor(long userId) {
		return "user:{" + userId + "}:outbox-floor";
	}

	/**
	 * Sorted set: post ids pushed to a user's home timeline (their inbox), scored by id.
	 */
	public static String inbox(long userId) {
		return "user:{" + userId + "}:inbox";
	}

	/**
	 * String with TTL: the inbox is live and holds every pushed post with id >= this
	 * value. Fan-out writes only to live inboxes; an absent floor means the reader is
	 * regenerated on next read.
	 */
	public static String inboxFloor(long userId) {
		return "user:{" + userId + "}:inbox-floor";
	}

	/**
	 * Set: a big account's core fans, the most recently active of its followers, whom its
	 * posts are pushed to (seed 003: a big account pushes to its core fans and is pulled
	 * by the rest; issue 19). Written by the publish module's {@code CoreFans}, which
	 * recomputes it per tier.
	 */
	public static String coreFans(long bigAccountId) {
		return "user:{" + bigAccountId + "}:core-fans";
	}

	/**
	 * String with TTL: present while a big account's core fans count as fresh; its
	 * absence asks for a recompute.
	 */
	public static String coreFansFresh(long bigAccountId) {
		return "user:{" + bigAccountId + "}:core-fans-fresh";
	}

	/**
	 * Redisson lock name: one recompute of a big account's core fans at a time, across
	 * instances.
	 */
	public static String coreFansLock(long bigAccountId) {
		return "user:{" + bigAccountId + "}:core-fans-lock";
	}

	/**
	 * Hash beside a reader's inbox (same hash tag, same TTL): big account id &rarr; post
	 * id S such that every post of that account with id &gt; S is pushed into this inbox.
	 * The timeline pulls the account only below {@code max(S + 1, floor)}. Removed before
	 * the reader stops being a core fan and when the inbox is regenerated, so a missing
	 * field only ever means "pull".
	 */
	public static String inboxCore(long userId) {
		return "user:{" + userId + "}:inbox-core";
	}

	/**
	 * Set of big-account user ids (pulled at read time), with sentinel "0" once loaded.
	 */
	public static String bigAccounts() {
		return "users:big";
	}

	/**
	 * Sorted set: each big account's newest post id (member: the author, score: the post
	 * id), written with the post's outbox entry. Readers keep each big account's outbox
	 * head locally and check it against this in one ZMSCORE per read (issue 19). Written
	 * by the publish module.
	 */
	public static String bigLatest() {
		return "users:big:latest";
	}

	/**
	 * Counter bumped after every change of {@link #bigAccounts()}: instances keep a local
	 * copy of each reader's followed big accounts and re-check it when this moves (one
	 * GET per read).
	 */
	public static String bigAccountsVersion() {
		return "users:big:version";
	}

	/**
	 * Hash: a post's merged counts (likes, favorites, shares, views, comments) and the
	 * version they are at.
	 */
	public static String postCounts(long postId) {
		return "post:{" + postId + "}:counts";
	}

	/**
	 * Redisson lock (a hash): which instance reconciles like/favorite counts now
	 * ({@code Leadership}).
	 */
	public static String countersReconcileLock() {
		return "counters:reconcile:leader";
	}

	/**
	 * String: the last post id the reaction reconciliation looked at (it wraps around to
	 * 0).
	 */
	public static String countersReconcileCursor() {
		return "counters:reconcile:cursor";
	}

	/**
	 * String: the cached core of a post's detail page (post and author id), or a
	 * "missing" marker.
	 */
	public static String postDetail(long postId) {
		return "post:{" + postId + "}:detail";
	}

	/** String: the lease token of whoever is loading {@link #postDetail(long)}. */
	public static String postDetailLease(long postId) {
		return "post:{" + postId + "}:detail-lease";
	}

	/**
	 * String: a long-lived copy of {@link #postDetail(long)}, served when the database
	 * can't answer.
	 */
	public static String postDetailStale(long postId) {
		return "post:{" + postId + "}:detail-stale";
	}

	/**
	 * Pub/sub channel: post ids whose detail was invalidated, so every instance drops its
	 * local copy.
	 */
	public static String postDetailInvalidations() {
		return "posts:detail-invalidations";
	}

	/**
	 * Sorted set: who is in a live room, member {@code node/connection}, score the last
	 * heartbeat (epoch ms). Entries of connections that died without a close age out by
	 * score.
	 */
	public static String roomPresence(long roomId) {
		return "room:{" + roomId + "}:presence";
	}

	/**
	 * Sorted set: one of a room's barrage pools (score = time ms, member = the barrage as
	 * JSON). Each pool has its own hash tag, so a room's pools spread over Redis Cluster
	 * slots.
	 */
	public static String roomPool(long roomId, int pool) {
		return "room:{" + roomId + "-" + pool + "}:pool";
	}

	/**
	 * Set: ids of the bridge nodes that hold viewers of the room (barrage goes only to
	 * these).
	 */
	public static String roomNodes(long roomId) {
		return "room:{" + roomId + "}:nodes";
	}

	/**
	 * String with TTL: the bridge node is alive; the router drops nodes whose key
	 * expired.
	 */
	public static String bridgeNodeAlive(String nodeId) {
		return "bridge:{" + nodeId + "}:alive";
	}

	/**
	 * Pub/sub channel of one bridge node: barrage batches for the rooms its viewers are
	 * in.
	 */
	public static String bridgeNodeChannel(String nodeId) {
		return "bridge:{" + nodeId + "}:deliver";
	}

	/**
	 * Counter per room and second: the room's barrage rate across all nodes, for
	 * sampling.
	 */
	public static String roomRate(long roomId, long epochSecond) {
		return "room:{" + roomId + "}:rate:" + epochSecond;
	}

	/**
	 * Hash post id -> reason ("retracted" / "moderated"): every read path drops these
	 * posts.
	 */
	public static String blacklist() {
		return "posts:blacklist";
	}

	/*
	 * The search keys are per Canal destination: the benchmarks sync their own
	 * destination into their own index beside a running platform, and neither takes the
	 * other's lease or requests. The platform's destination is "feed":
	 * search:feed:sync:leader and so on.
	 */

	/**
	 * Redisson lock (a hash): which app instance runs the binlog sync of a destination
	 * (one at a time: Canal serves one client per destination; {@code Leadership}).
	 */
	public static String searchSyncLease(String destination) {
		return "search:" + destination + ":sync:leader";
	}

	/**
	 * Set by {@code bin/platform reindex} or a moderator: the sync leader rebuilds the
	 * index and deletes it.
	 */
	public static String searchRebuildRequest(String destination) {
		return "search:" + destination + ":rebuild:request";
	}

	/**
	 * Set by a moderator: the sync leader compares the index with MariaDB now instead of
	 * at its next interval.
	 */
	public static String searchReconcileRequest(String destination) {
		return "search:" + destination + ":reconcile:request";
	}

	/**
	 * Hash describing the latest rebuild or reconciliation (state, counts, times), for
	 * operators.
	 */
	public static String searchStatus(String destination) {
		return "search:" + destination + ":status";
	}

	/**
	 * A user's WebSocket connection permits across every node (Redisson's expirable
	 * semaphore: one permit per open connection, leased and renewed by the node holding
	 * it, so a dead node's permits lapse). In the user's hash slot.
	 */
	public static String connectionPermits(long userId) {
		return "gateway:{" + userId + "}:connections";
	}

	/**
	 * Hash: a user's online IM devices, field = device id, value = the bridge node it is
	 * connected to, plus field {@code ~last} = last-active epoch ms. The IM routing
	 * table: chat goes only to the nodes named here whose liveness key is set; each node
	 * re-stamps its devices on its heartbeat, so the table heals itself after Redis loses
	 * it.
	 */
	public static String imDevices(long userId) {
		return "im:{" + userId + "}:devices";
	}

	/**
	 * String: set by a bridge node once its devices are in the routing table. Its absence
	 * tells the node that Redis lost the table (a flush or an empty restart): it
	 * re-stamps its devices at once and resumes every device's streams from MariaDB, so
	 * nothing routed meanwhile stays undelivered.
	 */
	public static String imNodeSentinel(String nodeId) {
		return "im:{node:" + nodeId + "}:routed";
	}

	/**
	 * Redisson rate limiter state: how fast a user may send chat messages, across every
	 * node.
	 */
	public static String imSendRate(long userId) {
		return "im:{" + userId + "}:send-rate";
	}

	/**
	 * String with TTL: an offline push for this user and conversation went out within the
	 * interval.
	 */
	public static String imPushSent(long userId, String conversation) {
		return "im:{" + userId + "}:push:" + conversation;
	}

	/**
	 * Lock (Redisson): one node at a time runs an economy sweep ({@code "recharges"},
	 * {@code "gifts"}, {@code "pk"}).
	 */
	public static String economySweep(String what) {
		return "economy:{sweep}:" + what;
	}

	/** Rate limiter (Redisson): a user's gift sends across nodes. */
	public static String giftRate(long userId) {
		return "user:{" + userId + "}:gift-rate";
	}

	/** Rate limiter (Redisson): a user's PK invitations and accepts across nodes. */
	public static String pkRate(long userId) {
		return "user:{" + userId + "}:pk-rate";
	}

	/**
	 * Sorted set: a room's gift senders scored by coins given (the leaderboard); rebuilt
	 * from the gifts table.
	 */
	public static String roomGiftTop(long roomId) {
		return "room:{" + roomId + "}:gifts:top";
	}

	/**
	 * Flag: the room's leaderboard holds every gift up to its rebuild; absent after Redis
	 * lost it.
	 */
	public static String roomGiftTopBuilt(long roomId) {
		return "room:{" + roomId + "}:gifts:built";
	}

	/**
	 * String: a gift's effects ran in its room (the combo it got); makes a redelivered
	 * gift a no-op.
	 */
	public static String roomGiftApplied(long roomId, long giftId) {
		return "room:{" + roomId + "}:gift:" + giftId;
	}

	/**
	 * Counter with a short TTL: consecutive gifts of one kind from one sender (the
	 * combo).
	 */
	public static String roomGiftCombo(long roomId, long senderId, long giftKind) {
		return "room:{" + roomId + "}:combo:" + senderId + ":" + giftKind;
	}

	/** Hash: a running PK's bar (status, anchors, scores, deadline, winner). */
	public static String pkBar(long pkId) {
		return "pk:{" + pkId + "}:bar";
	}

	/**
	 * String: the PK bar's decision for a gift (counted or not); makes a redelivered gift
	 * a no-op.
	 */
	public static String pkGiftApplied(long pkId, long giftId) {
		return "pk:{" + pkId + "}:gift:" + giftId;
	}

	/**
	 * List: a red-packet rain's packets not yet taken, {@code "index:amount"}, loaded
	 * from its row.
	 */
	public static String rainPackets(long rainId) {
		return "rain:{" + rainId + "}:packets";
	}

	/**
	 * Hash: a red-packet rain's state in Redis ({@code loaded}, {@code ends} epoch ms,
	 * {@code closed}); the announcement is on its row.
	 */
	public static String rainState(long rainId) {
		return "rain:{" + rainId + "}:state";
	}

	/**
	 * Hash: packets taken from a rain, index → {@code "user:amount"}; what its end
	 * credits if a message was lost.
	 */
	public static String rainGrabs(long rainId) {
		return "rain:{" + rainId + "}:grabs";
	}

	/**
	 * Hash: packets each user took from a rain (user → count), against the per-user
	 * limit.
	 */
	public static String rainTakers(long rainId) {
		return "rain:{" + rainId + "}:takers";
	}

	/**
	 * Hash: a flash-sale item's stock in Redis ({@code left}, {@code limit},
	 * {@code loaded}); the holds ({@code hold:<buyer>:<key>} → quantity) and each buyer's
	 * count ({@code buyer:<id>}) share it, so one script sees them all.
	 */
	public static String goodsStock(long goodsId) {
		return "goods:{" + goodsId + "}:stock";
	}

	/** Hash: a user's cart in a room, goods id → quantity. */
	public static String cart(long userId, long roomId) {
		return "cart:{" + userId + "}:" + roomId;
	}

	/** Rate limiter (Redisson): a user's pre-order clicks across nodes. */
	public static String orderRate(long userId) {
		return "user:{" + userId + "}:order-rate";
	}

}
