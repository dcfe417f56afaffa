package dev.feedplatform.liveroombridge.room;

import java.time.Duration;

import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.error.Require;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import dev.feedplatform.runtime.ports.PostGuard;
import dev.feedplatform.runtime.ports.PostLinks;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Rooms in MariaDB. Opening one linked to a post checks the post is the owner's and sets
 * the post's {@code live_room_id} (through the publish module's port), so its summary
 * carries it; closing clears it. Closing is idempotent and only the owner may do it.
 */
@Component
public class Rooms {

	static final int MAX_TITLE = 200;

	/** A room's barrage may be split over at most this many Redis pools. */
	static final int MAX_POOLS = 16;

	/** Highest per-room barrage rate (per second, across nodes). */
	static final int MAX_RATE = 100_000;

	/** Settings never change after opening: cached for ingress, the router and replay. */
	private final Cache<Long, RoomConfig> configs = Caffeine.newBuilder().maximumSize(100_000).build();

	private final RoomMapper db;

	/** How long a node trusts "open" without asking MariaDB again. */
	static final Duration OPEN_STATE_TTL = Duration.ofSeconds(2);

	private final LeasedIdGenerator ids;

	private final PostLinks posts;

	private final PostGuard guard;

	/**
	 * room id → open: refreshed from MariaDB every {@link #OPEN_STATE_TTL} in the
	 * background, the last known answer served meanwhile and while MariaDB can't answer
	 * (barrage must not stop with the database), and set to closed at once where a close
	 * is known ({@link #markClosed}).
	 */
	private final LoadingCache<Long, Boolean> open;

	private final ApplicationEventPublisher events;

	Rooms(RoomMapper db, LeasedIdGenerator ids, PostLinks posts, PostGuard guard, ApplicationEventPublisher events) {
		this.guard = guard;
		this.events = events;
		this.open = Caffeine.newBuilder()
			.maximumSize(100_000)
			.refreshAfterWrite(OPEN_STATE_TTL)
			.expireAfterWrite(Duration.ofHours(1))
			.build(id -> find(id).map(r -> RoomView.OPEN.equals(r.status())).orElse(false));
		this.db = db;
		this.ids = ids;
		this.posts = posts;
	}

	RoomView open(long ownerId, String title, Long postId, Integer pools, Integer rate, Double sampleKeep) {
		String name = Require.text(title, "title", MAX_TITLE);
		int poolCount = pools == null ? 1 : pools;
		if (poolCount < 1 || poolCount > MAX_POOLS) {
			throw Problem.badRequest("pools must be between 1 and " + MAX_POOLS);
		}
		if (rate != null && (rate < 1 || rate > MAX_RATE)) {
			throw Problem.badRequest("rate must be between 1 and " + MAX_RATE + " barrage a second");
		}
		if (sampleKeep != null && !(sampleKeep >= 0 && sampleKeep <= 1)) {
			throw Problem.badRequest("sample_keep must be between 0 and 1");
		}
		if (postId != null) {
			this.guard.requireWritable(postId); // a blacklisted post gets no room either
			long author = this.posts.authorOf(postId).orElseThrow(() -> Problem.notFound("no post " + postId));
			if (author != ownerId) {
				throw Problem.forbidden("a room can only be linked to one of your own posts");
			}
		}
		long id = this.ids.next();
		try {
			this.db.insert(id, ownerId, name, postId, poolCount, rate, sampleKeep);
		}
		catch (org.springframework.dao.DuplicateKeyException ex) {
			// uk_rooms_open_post: one open room per post (issue 22), also between racing
			// opens.
			if (postId != null && String.valueOf(ex.getMessage()).contains("uk_rooms_open_post")) {
				throw Problem.conflict("post " + postId + " already has an open room; close it first");
			}
			throw ex;
		}
		if (postId != null) {
			this.posts.linkLiveRoom(postId, id);
		}
		return new RoomView(Long.toString(id), name, postId == null ? null : postId.toString(), Long.toString(ownerId),
				RoomView.OPEN, poolCount, rate, sampleKeep);
	}

	void close(long roomId, long userId) {
		RoomView room = find(roomId).orElseThrow(() -> Problem.notFound("no room " + roomId));
		if (Long.parseLong(room.ownerId()) != userId) {
			throw Problem.forbidden("only the owner closes a room");
		}
		this.db.close(roomId);
		markClosed(roomId);
		// Also when it was closed already: a close that failed after the row changed is
		// retried
		// by its owner, and the unlink and the viewers' notice must still happen (both
		// idempotent).
		if (room.postId() != null) {
			this.posts.unlinkLiveRoom(Long.parseLong(room.postId()), roomId);
		}
		this.events.publishEvent(new RoomClosed(roomId));
	}

	/**
	 * Whether the room takes barrage: open in MariaDB as of at most
	 * {@link #OPEN_STATE_TTL} ago, and not known closed here. A node with viewers of a
	 * room learns of its close within milliseconds (the close is routed to it); any other
	 * node refuses the room's barrage anyway (its connections have to join, which reads
	 * the row).
	 */
	public boolean isOpen(long roomId) {
		return this.open.get(roomId);
	}

	/** Records here that the room is closed (it never opens again). */
	public void markClosed(long roomId) {
		this.open.put(roomId, false);
	}

	/** How many Redis pools the room's barrage is split over (1 for a missing room). */
	public int pools(long roomId) {
		return config(roomId).pools();
	}

	/** The room's settings (the defaults for a missing room). */
	public RoomConfig config(long roomId) {
		return this.configs.get(roomId, id -> find(id).map(RoomView::config).orElse(RoomConfig.DEFAULT));
	}

	public Optional<RoomView> find(long roomId) {
		return Optional.ofNullable(this.db.row(roomId)).map(Rooms::view);
	}

	/** Every open room, newest first (the snapshot's source). */
	List<RoomView> allOpen() {
		return this.db.open().stream().map(Rooms::view).toList();
	}

	private static RoomView view(RoomMapper.Row row) {
		return new RoomView(Long.toString(row.id()), row.title(),
				row.postId() == null ? null : Long.toString(row.postId()), Long.toString(row.ownerId()),
				row.status() == 0 ? RoomView.OPEN : RoomView.CLOSED, row.pools(), row.rate(), row.sampleKeep());
	}

}
