package dev.feedplatform.timeline.home;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;

import dev.feedplatform.common.paging.Page;
import dev.feedplatform.common.posts.PostSummary;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The home timeline's merge rules ({@link HomeTimeline}'s pure parts): inbox, big
 * outboxes and normal followees merged newest first without repeats, core-fan bounds,
 * filtering, page size, cursor and repost folding. No Redis, MariaDB or Spring context:
 * the sources' answers are lists.
 */
class HomeMergeTests {

	/** An original post {@code id} by {@code author}. */
	private static PostSummary post(long id, long author) {
		return new PostSummary(Long.toString(id), Long.toString(author), "VIDEO", "post " + id, null,
				"2025-01-01T00:00:00Z", null);
	}

	/** A repost {@code id} by {@code author} of the original {@code original}. */
	private static PostSummary repost(long id, long author, long original) {
		return new PostSummary(Long.toString(id), Long.toString(author), PostSummary.REPOST, null, null,
				"2025-01-01T00:00:00Z", null, Long.toString(original), null, null);
	}

	private static List<String> ids(Page<PostSummary> page) {
		return page.items().stream().map(PostSummary::id).toList();
	}

	@Test
	void aPostBothPushedAndPulledShowsOnceAndTheMergeIsNewestFirst() {
		List<Long> inbox = List.of(50L, 40L, 30L);
		List<Long> big = List.of(45L, 40L, 20L);
		List<Long> normal = List.of(35L, 30L, 10L);
		assertThat(HomeTimeline.newest(5, List.of(inbox, big, normal))).containsExactly(50L, 45L, 40L, 35L, 30L);
		assertThat(HomeTimeline.newest(100, List.of(inbox, big, normal))).containsExactly(50L, 45L, 40L, 35L, 30L, 20L,
				10L);
		assertThat(HomeTimeline.newest(3, List.of(List.of(), List.of(), List.of()))).isEmpty();
	}

	@Test
	void aFullInboxRangeBoundsTheBigAccountsPullAndAShortOneDoesNot() {
		// Exclusive bound one below the inbox's last id: a big post with that very id
		// would still come.
		assertThat(HomeTimeline.bigAbove(List.of(90L, 80L, 70L), 3)).isEqualTo(69L);
		assertThat(HomeTimeline.bigAbove(List.of(90L, 80L), 3)).isZero();
		assertThat(HomeTimeline.bigAbove(List.of(), 3)).isZero();
	}

	@Test
	void aCoreFansBigAccountIsPulledOnlyBelowItsRecordAndTheInboxFloor() {
		Map<Long, Long> bounds = HomeTimeline.pulledBelow(1_000, Map.of(7L, 500L, 8L, 2_000L));
		// Account 7's newer posts are pushed, but the inbox only reaches down to 1,000;
		// account 8's from 2,001 on.
		assertThat(bounds).containsExactlyInAnyOrderEntriesOf(Map.of(7L, 1_000L, 8L, 2_001L));
		assertThat(HomeTimeline.pulledBelow(HomeInbox.BUILDING, Map.of(7L, 500L)))
			.as("a building inbox: pulled everywhere")
			.isEmpty();
	}

	@Test
	void onlyShownPostsOfAuthorsFollowedNowAreKeptInCandidateOrder() {
		// 3 was retracted
		Map<Long, PostSummary> found = Map.of(5L, post(5, 1), 4L, post(4, 2), 2L, post(2, 1));
		assertThat(HomeTimeline.visible(List.of(5L, 4L, 3L, 2L), found, Set.of(1L))).extracting(PostSummary::id)
			.containsExactly("5", "2");
	}

	@Test
	void aPageHoldsSizeItemsAndContinuesBelowItsLastOne() {
		List<PostSummary> items = LongStream.rangeClosed(1, 10).map(i -> 11 - i).mapToObj(id -> post(id, 1)).toList();
		Page<PostSummary> page = HomeTimeline.toPage(items, 3, false);
		assertThat(ids(page)).containsExactly("10", "9", "8");
		assertThat(page.lastId()).isEqualTo("8");
		assertThat(page.hasMore()).as("items were left over").isTrue();
	}

	@Test
	void hasMoreOnlyWhenItemsWereLeftOverOrTheSourcesHaveMoreAndNeverOnAnEmptyPage() {
		List<PostSummary> two = List.of(post(3, 1), post(2, 1));
		assertThat(HomeTimeline.toPage(two, 5, false).hasMore()).isFalse();
		assertThat(HomeTimeline.toPage(two, 5, false).lastId()).isEqualTo("2");
		assertThat(HomeTimeline.toPage(two, 5, true).hasMore()).isTrue();
		Page<PostSummary> empty = HomeTimeline.toPage(List.of(), 5, true);
		assertThat(empty.items()).isEmpty();
		assertThat(empty.lastId()).isNull();
		assertThat(empty.hasMore()).isFalse();
	}

	@Test
	void laterRepostsOfAnOriginalFoldIntoItsNewestItemAndNameTheirReposters() {
		List<PostSummary> items = List.of(repost(30, 7, 10), post(25, 1), repost(20, 8, 10), repost(18, 9, 10),
				post(10, 1), post(5, 1));
		Page<PostSummary> page = HomeTimeline.toPage(items, 3, false);
		assertThat(ids(page)).containsExactly("30", "25", "5");
		assertThat(page.items().get(0).repostedBy()).containsExactly("8", "9");
		assertThat(page.items().get(1).repostedBy()).isNull();
		assertThat(page.lastId()).isEqualTo("5");
		assertThat(page.hasMore()).isFalse();
	}

	@Test
	void aRepostFoldedAfterTheLastShownItemIsUsedUpSoTheNextPageDoesNotRepeatIt() {
		List<PostSummary> items = List.of(repost(30, 7, 10), post(25, 1), repost(20, 8, 10), post(15, 1));
		Page<PostSummary> page = HomeTimeline.toPage(items, 2, false);
		assertThat(ids(page)).containsExactly("30", "25");
		assertThat(page.items().get(0).repostedBy()).containsExactly("8");
		assertThat(page.lastId()).as("the cursor passes the folded repost, not the unseen 15").isEqualTo("20");
		assertThat(page.hasMore()).isTrue();
	}

	@Test
	void scrollingWithTheCursorShowsEveryPostOfEverySourceOnceNewestFirst() {
		List<Long> inbox = List.of(99L, 97L, 90L, 88L, 70L, 64L, 60L);
		List<Long> big = List.of(98L, 90L, 75L, 64L, 40L, 12L);
		List<Long> normal = List.of(88L, 71L, 60L, 55L, 30L, 11L, 3L);
		int size = 4;
		int want = size + 1;
		List<String> scrolled = new ArrayList<>();
		long cursor = Long.MAX_VALUE;
		for (int pages = 0; pages < 20; pages++) {
			long below = cursor;
			// Each source answers the newest ids strictly below the cursor (what Redis
			// and MariaDB do).
			List<List<Long>> answers = List.of(inbox, big, normal)
				.stream()
				.map(ids -> ids.stream().filter(id -> id < below).limit(want).toList())
				.toList();
			List<Long> candidates = HomeTimeline.newest(want, answers);
			Page<PostSummary> page = HomeTimeline.toPage(candidates.stream().map(id -> post(id, 1)).toList(), size,
					candidates.size() >= want);
			scrolled.addAll(ids(page));
			if (!page.hasMore()) {
				break;
			}
			cursor = Long.parseLong(page.lastId());
		}
		TreeSet<Long> all = new TreeSet<>(java.util.Comparator.reverseOrder());
		List.of(inbox, big, normal).forEach(all::addAll);
		assertThat(scrolled).containsExactlyElementsOf(all.stream().map(String::valueOf).toList());
	}

}
