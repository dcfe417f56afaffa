package dev.feedplatform.timeline.source;

import java.time.Duration;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

import dev.feedplatform.runtime.ports.OutboxReads;
import dev.feedplatform.runtime.ports.PostRows;
import org.springframework.stereotype.Component;

/**
 * Pull mode: the newest post ids of a set of authors below a cursor, from their Redis
 * outboxes (one pipelined round trip for all authors, through the publish module's
 * {@link OutboxReads} port) and, for authors whose outbox can't answer (lost, or trimmed
 * above the range asked), from MariaDB in one query. Serves big accounts on every read,
 * deep scrolls past the inbox, returning users, regeneration and backfill.
 */
@Component
public class PullSource {

	private final OutboxReads outboxes;

	private final PostRows posts;

	PullSource(OutboxReads outboxes, PostRows posts) {
		this.outboxes = outboxes;
		this.posts = posts;
	}

	/**
	 * The newest ids of an author's outbox at one moment (a contiguous top), its floor,
	 * and whether it is the whole outbox.
	 */
	private record Head(List<Long> ids, long floor, boolean whole) {
	}

	/** Ids kept per big account: five pages of 20. */
	static final int HEAD = 100;

	/**
	 * How long a head is kept. Freshness doesn't depend on it — every read checks each
	 * head against the account's newest post id ({@link OutboxReads#latestOfBigAccounts})
	 * — it bounds how long a head can outlive its outbox (lost or rebuilt) and the memory
	 * of accounts nobody reads.
	 */
	static final Duration HEAD_TTL = Duration.ofSeconds(5);

	private final Cache<Long, Head> heads = Caffeine.newBuilder()
		.maximumSize(20_000)
		.expireAfterWrite(HEAD_TTL)
		.build();

	/**
	 * {@link #pull(Collection, long, long, int)} for followed big accounts, which every
	 * follower pulls on every read (issue 19: the pull was 40% of a timeline read's CPU
	 * in a JFR profile of {@code bin/bench timeline}): each account's newest
	 * {@value #HEAD} ids are kept in-process, and one ZMSCORE of the accounts' newest
	 * post ids tells which heads are still current; only the others are read again. So
	 * the answer is the same as {@code pull}'s — a head never hides a post its account
	 * published, which could otherwise be skipped by a reader scrolling past newer posts
	 * of other accounts. A range a head can't answer for sure goes to Redis (and MariaDB)
	 * as before.
	 */
	public List<Long> pullBig(Collection<Long> authors, long above, long below, int limit) {
		return pullBig(authors, above, below, limit, Map.of());
	}

	/**
	 * Like {@link #pullBig(Collection, long, long, int)}, with a lower upper bound for
	 * some authors: {@code belowOf} maps an author to a bound under which alone it is
	 * pulled (a reader's inbox holds that author's newer posts: core fans, issue 19). An
	 * author whose bound leaves nothing in range costs nothing.
	 */
	public List<Long> pullBig(Collection<Long> authors, long above, long below, int limit, Map<Long, Long> belowOf) {
		if (authors.isEmpty() || limit <= 0 || below <= above + 1) {
			return List.of();
		}
		Map<Long, Long> bounds = new java.util.LinkedHashMap<>();
		for (Long author : authors) {
			long bound = Math.min(below, belowOf.getOrDefault(author, below));
			if (bound > above + 1) {
				bounds.put(author, bound);
			}
		}
		if (bounds.isEmpty()) {
			return List.of();
		}
		List<Long> order = List.copyOf(bounds.keySet());
		Map<Long, Head> cached = new java.util.HashMap<>(this.heads.getAllPresent(order));
		if (!cached.isEmpty()) {
			List<Long> latest = this.outboxes.latestOfBigAccounts(order);
			for (int i = 0; i < order.size(); i++) {
				Head head = cached.get(order.get(i));
				Long newest = latest.get(i);
				if (head != null && newest != null && (head.ids().isEmpty() || head.ids().get(0) < newest)) {
					// the account posted since: read its head again
					cached.remove(order.get(i));
				}
			}
		}
		List<Long> missing = order.stream().filter(author -> !cached.containsKey(author)).toList();
		if (!missing.isEmpty()) {
			cached.putAll(loadHeads(missing));
		}
		TreeSet<Long> merged = new TreeSet<>(java.util.Comparator.reverseOrder());
		Map<Long, List<Long>> rest = new java.util.HashMap<>(); // by bound
		for (Long author : order) {
			Head head = cached.get(author);
			long bound = bounds.get(author);
			if (head == null) {
				// outbox lost: the full path rebuilds the answer from MariaDB
				rest.computeIfAbsent(bound, b -> new ArrayList<>()).add(author);
				continue;
			}
			List<Long> inRange = head.ids().stream().filter(id -> id > above && id < bound).limit(limit).toList();
			// The head is the outbox's top, so it answers the range when it holds enough
			// ids in it, or
			// reaches below it, or is the whole outbox and nothing older lies in the
			// range.
			boolean answered = inRange.size() >= limit
					|| (!head.ids().isEmpty() && head.ids().get(head.ids().size() - 1) <= above + 1)
					|| (head.whole() && head.floor() <= above + 1);
			if (answered) {
				merged.addAll(inRange);
			}
			else {
				rest.computeIfAbsent(bound, b -> new ArrayList<>()).add(author);
			}
		}
		rest.forEach((bound, group) -> merged.addAll(pull(group, above, bound, limit)));
		return merged.stream().limit(limit).toList();
	}

	private Map<Long, Head> loadHeads(List<Long> authors) {
		List<OutboxReads.Slice> slices = this.outboxes.newest(authors, HEAD);
		Map<Long, Head> loaded = new java.util.HashMap<>();
		for (int i = 0; i < authors.size(); i++) {
			OutboxReads.Slice slice = slices.get(i);
			if (slice.lost()) {
				continue;
			}
			Head head = new Head(slice.ids(), slice.floor(), slice.ids().size() < HEAD);
			loaded.put(authors.get(i), head);
			this.heads.put(authors.get(i), head);
		}
		return loaded;
	}

	/** Up to {@code limit} ids, newest first, each &lt; {@code below}. */
	public List<Long> pull(Collection<Long> authors, long below, int limit) {
		return pull(authors, 0, below, limit);
	}

	/**
	 * Up to {@code limit} ids, newest first, each in {@code (above, below)}. A caller
	 * that already holds {@code limit} ids above some id from elsewhere passes it as
	 * {@code above}: nothing lower can make its page, and each outbox then answers a few
	 * ids instead of {@code limit}.
	 */
	public List<Long> pull(Collection<Long> authors, long above, long below, int limit) {
		if (authors.isEmpty() || limit <= 0 || below <= above + 1) {
			return List.of();
		}
		List<Long> order = List.copyOf(authors);
		List<OutboxReads.Slice> slices = this.outboxes.range(order, above, below, limit);
		TreeSet<Long> merged = new TreeSet<>(java.util.Comparator.reverseOrder());
		List<Long> fromDatabase = new ArrayList<>();
		for (int i = 0; i < order.size(); i++) {
			OutboxReads.Slice slice = slices.get(i);
			if (slice.lost()) {
				// outbox lost: the database answers for this author
				fromDatabase.add(order.get(i));
				continue;
			}
			merged.addAll(slice.ids());
			if (slice.ids().size() < limit && slice.floor() > above + 1) {
				// the outbox ran out above its floor, inside the range: older posts
				// are only in MariaDB
				fromDatabase.add(order.get(i));
			}
		}
		if (!fromDatabase.isEmpty()) {
			merged.addAll(this.posts.newestOf(fromDatabase, above, below, limit));
		}
		return merged.stream().limit(limit).toList();
	}

}
