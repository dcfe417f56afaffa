package dev.feedplatform.timeline.home;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.paging.Page;
import dev.feedplatform.common.paging.PageRequest;
import dev.feedplatform.common.posts.PostSummary;
import dev.feedplatform.timeline.source.FollowingReader;
import dev.feedplatform.timeline.source.PostSummaries;
import dev.feedplatform.timeline.source.PullSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The home timeline: the reader's inbox (pushed posts of normal accounts) merged with the
 * outboxes of followed big accounts (pulled), below the inbox floor continued by pulling
 * every followee, so scrolling never dead-ends. Then de-duplicated, filtered by the
 * current following set (an unfollow shows at once), the blacklist and visibility, and
 * hydrated in one batch.
 *
 * <p>
 * Why the cursor never skips or repeats: every source answers "the newest ids strictly
 * below {@code last_id}", ids never change, and new posts get larger ids than any cursor
 * already handed out. A page is the top of the union of each source's top; the next page
 * starts below its last id.
 */
@Component
public class HomeTimeline implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(HomeTimeline.class);

	/**
	 * Filtering may drop items; a page retries from where it stopped, a bounded number of
	 * times.
	 */
	private static final int MAX_ROUNDS = 4;

	/**
	 * Inbox ids read past the page; when fewer exist, the continuation below the floor is
	 * pre-fetched.
	 */
	private static final int PREFETCH_AHEAD = 40;

	/** Extra items fetched per round to absorb filtering without another round trip. */
	private static final int SLACK = 10;

	private final FollowingReader following;

	private final HomeInbox inbox;

	private final PullSource pull;

	private final PostSummaries summaries;

	private final TimelineSettings settings;

	private final Continuations continuations;

	private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

	HomeTimeline(FollowingReader following, HomeInbox inbox, PullSource pull, PostSummaries summaries,
			TimelineSettings settings, Continuations continuations) {
		this.following = following;
		this.inbox = inbox;
		this.pull = pull;
		this.summaries = summaries;
		this.settings = settings;
		this.continuations = continuations;
	}

	public Page<PostSummary> page(long readerId, PageRequest request) {
		FollowingReader.Followed following = this.following.followed(readerId);
		Set<Long> followed = following.all();
		if (followed.isEmpty()) {
			if (this.inbox.floor(readerId) == null) {
				// a live (empty) inbox, so the first follow is backfilled into it
				regenerateLater(readerId, Set.of());
			}
			return Page.empty();
		}
		Set<Long> normal = following.normal();
		HomeInbox.State state = this.inbox.state(readerId);
		Long floor = state.floor();
		if (floor == null) {
			// returning or new reader: answer by read-time merge meanwhile
			regenerateLater(readerId, normal);
			floor = HomeInbox.BUILDING;
		}
		else if (floor != HomeInbox.BUILDING) {
			this.inbox.touch(readerId, ttl());
		}
		Map<Long, Long> pulledBelow = pulledBelow(floor, state.coreSince());
		List<PostSummary> items = new ArrayList<>();
		long below = request.below();
		boolean more = false;
		for (int round = 0; round < MAX_ROUNDS && items.size() <= request.size(); round++) {
			int want = request.size() + 1 - items.size() + SLACK;
			List<Long> candidates = candidates(readerId, floor, pulledBelow, following, below, want);
			if (candidates.isEmpty()) {
				break;
			}
			items.addAll(visible(candidates, this.summaries.shown(candidates), followed));
			below = candidates.get(candidates.size() - 1);
			more = candidates.size() >= want;
			if (!more) {
				break;
			}
		}
		return toPage(items, request.size(), more);
	}

	/**
	 * Per big account the reader is a core fan of (account &rarr; S, its record), the id
	 * it is pulled only below: {@code max(S + 1, floor)}, since above that every post of
	 * it is in the inbox (issue 19; the argument is in the publish module's CoreFans). A
	 * building inbox guarantees nothing, so then none: everything is pulled. Static and
	 * pure so HomeMergeTests can check it.
	 */
	static Map<Long, Long> pulledBelow(long floor, Map<Long, Long> coreSince) {
		Map<Long, Long> pulledBelow = new java.util.HashMap<>();
		if (floor != HomeInbox.BUILDING) {
			coreSince.forEach((account, since) -> pulledBelow.put(account, Math.max(since + 1, floor)));
		}
		return pulledBelow;
	}

	/**
	 * The newest {@code want} ids below the cursor across inbox, big outboxes and (below
	 * the floor) every normal followee; a big account in {@code pulledBelow} is pulled
	 * only below its bound.
	 */
	private List<Long> candidates(long readerId, long floor, Map<Long, Long> pulledBelow,
			FollowingReader.Followed following, long below, int want) {
		boolean inboxCovers = floor != HomeInbox.BUILDING && below > floor;
		List<Long> fromInbox = List.of();
		if (inboxCovers) {
			// Read a little past the page: fewer than that left means the reader nears
			// the floor.
			List<Long> read = this.inbox.read(readerId, floor, below, want + PREFETCH_AHEAD);
			// no pre-fetch at floor 0: the inbox holds everything
			if (read.size() < want + PREFETCH_AHEAD && floor > 0) {
				this.continuations.prefetchLater(readerId, floor, following.generation(), following.normal());
			}
			fromInbox = read.size() > want ? read.subList(0, want) : read;
		}
		List<Long> fromBig = this.pull.pullBig(following.big(), bigAbove(fromInbox, want), below, want, pulledBelow);
		List<Long> fromNormal = List.of();
		if (fromInbox.size() < want) {
			// The inbox ran out in this range: normal followees' older posts, pre-fetched
			// or pulled now.
			long pullBelow = inboxCovers ? floor : below;
			Optional<List<Long>> ahead = floor == HomeInbox.BUILDING ? Optional.empty()
					: this.continuations.below(readerId, floor, following.generation(), pullBelow, want);
			fromNormal = ahead.orElseGet(() -> this.pull.pull(following.normal(), pullBelow, want));
		}
		return newest(want, List.of(fromInbox, fromBig, fromNormal));
	}

	/**
	 * The id above which big accounts are pulled (exclusive; 0: no bound), given the
	 * inbox's ids for this range (newest first): a full {@code want} of them bounds the
	 * range, since nothing below the last can make the page. Static and pure so
	 * HomeMergeTests can check it.
	 */
	static long bigAbove(List<Long> fromInbox, int want) {
		return fromInbox.size() == want ? fromInbox.get(want - 1) - 1 : 0;
	}

	/**
	 * The newest {@code want} distinct ids across the sources (inbox, big outboxes,
	 * normal followees; each newest first), newest first: a post both pushed and pulled
	 * shows once. Static and pure so HomeMergeTests can check it.
	 */
	static List<Long> newest(int want, List<List<Long>> sources) {
		TreeSet<Long> merged = new TreeSet<>(java.util.Comparator.reverseOrder());
		sources.forEach(merged::addAll);
		return merged.stream().limit(want).toList();
	}

	/**
	 * The candidates (newest first) that show: those whose summary {@code found} holds
	 * (retracted or hidden posts have none) by an author the reader follows now (an
	 * unfollow shows at once), in candidate order. Static and pure so HomeMergeTests can
	 * check it.
	 */
	static List<PostSummary> visible(List<Long> ids, Map<Long, PostSummary> found, Set<Long> followed) {
		List<PostSummary> out = new ArrayList<>(ids.size());
		for (Long id : ids) {
			PostSummary summary = found.get(id);
			if (summary != null && followed.contains(summary.numericAuthorId())) {
				out.add(summary);
			}
		}
		return out;
	}

	/**
	 * A page after folding: its items, the id of the last candidate it used up (the
	 * cursor), and whether items were left over.
	 */
	record Folded(List<PostSummary> items, String lastConsumed, boolean stoppedEarly) {
	}

	/**
	 * One item per original on a page (issue 19): the newest post that shows an original
	 * — the original itself or a repost of it — stays where it is, and every later one is
	 * folded into it, its reposter named in {@code reposted_by}, until the page holds
	 * {@code size} items. Mastodon drops the duplicates ("reblog falloff"); here the
	 * reader still learns who else shared it. The cursor is the last item used up, folded
	 * or shown, so a folded repost never comes back on the next page and nothing past the
	 * page is skipped.
	 */
	static Folded foldReposts(List<PostSummary> items, int size) {
		Map<Long, Integer> shownAt = new java.util.HashMap<>();
		List<PostSummary> out = new ArrayList<>(Math.min(items.size(), size));
		String last = null;
		for (PostSummary item : items) {
			Integer at = shownAt.get(item.contentId());
			if (at != null) {
				if (item.repostOf() != null) {
					out.set(at, out.get(at).withReposter(item.authorId()));
				}
				last = item.id();
				continue;
			}
			if (out.size() == size) {
				return new Folded(out, last, true);
			}
			shownAt.put(item.contentId(), out.size());
			out.add(item);
			last = item.id();
		}
		return new Folded(out, last, false);
	}

	/**
	 * The page of {@code size} items a reader gets from the visible items of all rounds
	 * (newest first): reposts folded ({@link #foldReposts}), {@code last_id} the last
	 * item used up, and {@code has_more} when items were left over or
	 * {@code sourcesHaveMore}; never on an empty page. Static and pure so HomeMergeTests
	 * can check it.
	 */
	static Page<PostSummary> toPage(List<PostSummary> items, int size, boolean sourcesHaveMore) {
		Folded page = foldReposts(items, size);
		boolean hasMore = page.stoppedEarly() || sourcesHaveMore;
		return new Page<>(List.copyOf(page.items()), page.lastConsumed(), hasMore && !page.items().isEmpty());
	}

	/**
	 * Rebuilds the inbox from followees' outboxes; pushes that land meanwhile are kept.
	 */
	void regenerateLater(long readerId, Set<Long> normal) {
		if (!this.inbox.startBuilding(readerId)) {
			return;
		}
		this.background.execute(() -> {
			try {
				int cap = this.settings.inboxCap();
				List<Long> newest = this.pull.pull(normal, Long.MAX_VALUE, cap);
				long floor = newest.size() < cap ? 0 : newest.get(newest.size() - 1);
				this.inbox.finishBuilding(readerId, newest, floor, cap, ttl());
			}
			catch (RuntimeException ex) {
				log.warn("inbox regeneration of {} failed; the build lease lets the next read retry: {}", readerId,
						ex.toString());
			}
		});
	}

	private Duration ttl() {
		return this.inbox.liveWithoutReads();
	}

	@Override
	public void destroy() {
		this.background.shutdown();
	}

}
