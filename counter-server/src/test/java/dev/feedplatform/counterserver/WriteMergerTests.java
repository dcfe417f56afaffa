package dev.feedplatform.counterserver;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.feedplatform.runtime.messaging.EventJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first merge's rules: one line per post with its summed delta, cancelled-out posts
 * dropped, batches split by size, ids unique.
 */
class WriteMergerTests {

	private static AtomicLongArray counts(long likes, long favorites, long shares, long views, long comments) {
		return new AtomicLongArray(new long[] { likes, favorites, shares, views, comments });
	}

	@Test
	void eachPostIsOneLineWithItsSummedDeltasAndAPostWhoseIncrementsCancelledIsLeftOut() {
		Map<Long, AtomicLongArray> window = new ConcurrentHashMap<>();
		window.put(1L, counts(0, 0, 0, 0, 0));
		window.get(1L).addAndGet(CounterField.VIEWS.ordinal(), 3);
		window.get(1L).addAndGet(CounterField.LIKES.ordinal(), 1);
		window.get(1L).addAndGet(CounterField.VIEWS.ordinal(), 4);
		window.put(2L, counts(1, 0, 0, 0, 0));
		// like then unlike within the window
		window.get(2L).addAndGet(CounterField.LIKES.ordinal(), -1);
		window.put(3L, counts(0, -1, 0, 0, 0));

		List<DeltaBatch> batches = WriteMerger.batches(window, 42, 100);

		assertThat(batches).hasSize(1);
		assertThat(batches.getFirst().createdAtMs()).isEqualTo(42);
		Map<Long, Totals> lines = new java.util.HashMap<>();
		batches.getFirst().deltas().forEach(d -> lines.put(d.postId(), Totals.ZERO.plus(d.counts())));
		assertThat(lines).containsOnlyKeys(1L, 3L);
		assertThat(lines.get(1L)).isEqualTo(new Totals(1, 0, 0, 7, 0));
		assertThat(lines.get(3L)).isEqualTo(new Totals(0, -1, 0, 0, 0));
	}

	@Test
	void aWindowIsSplitIntoBatchesOfAtMostTheLimitEachPostInExactlyOneAndEveryBatchIdUnique() {
		Map<Long, AtomicLongArray> window = new ConcurrentHashMap<>();
		for (long post = 1; post <= 25; post++) {
			window.put(post, counts(0, 0, 0, post, 0));
		}
		List<DeltaBatch> batches = WriteMerger.batches(window, 0, 10);

		assertThat(batches).extracting(b -> b.deltas().size()).containsExactlyInAnyOrder(10, 10, 5);
		List<Long> posts = new ArrayList<>();
		Set<String> ids = new HashSet<>();
		for (DeltaBatch batch : batches) {
			ids.add(batch.id());
			batch.deltas().forEach(d -> {
				posts.add(d.postId());
				assertThat(d.counts()[CounterField.VIEWS.ordinal()]).isEqualTo(d.postId());
			});
		}
		assertThat(posts).hasSize(25).doesNotHaveDuplicates();
		assertThat(ids).hasSize(3);
	}

	@Test
	void anEmptyOrFullyCancelledWindowSendsNothing() {
		Map<Long, AtomicLongArray> window = new ConcurrentHashMap<>();
		assertThat(WriteMerger.batches(window, 0, 10)).isEmpty();
		window.put(7L, counts(0, 0, 0, 0, 0));
		assertThat(WriteMerger.batches(window, 0, 10)).isEmpty();
	}

	@Test
	void aBatchSurvivesItsWireFormatAndAForeignMessageIsRefused() {
		DeltaBatch batch = new DeltaBatch("b-1", 1234,
				List.of(new DeltaBatch.PostDelta(9, new long[] { 1, -2, 3, 400, 5 })));
		DeltaBatch back = EventJson.decode(EventJson.encode(batch), DeltaBatch.class, DeltaBatch::fromText);
		assertThat(back.id()).isEqualTo("b-1");
		assertThat(back.createdAtMs()).isEqualTo(1234);
		assertThat(back.deltas()).singleElement().satisfies(d -> {
			assertThat(d.postId()).isEqualTo(9);
			assertThat(d.counts()).containsExactly(1, -2, 3, 400, 5);
		});
		// A batch sent as text before events were JSON is still applied; another shape is
		// refused.
		DeltaBatch old = EventJson.decode("v1|b-0|99\n9 1 0 0 2 0", DeltaBatch.class, DeltaBatch::fromText);
		assertThat(old.id()).isEqualTo("b-0");
		assertThat(old.deltas()).singleElement().satisfies(d -> assertThat(d.counts()).containsExactly(1, 0, 0, 2, 0));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> EventJson.decode("v2|x|1", DeltaBatch.class, DeltaBatch::fromText));
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> EventJson.decode("v1|x|1\n9 1 2", DeltaBatch.class, DeltaBatch::fromText));
		// A delta with the wrong number of counts is malformed (dropped), not an error
		// retried forever.
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> EventJson.decode(
					"{\"id\":\"x\",\"createdAtMs\":1,\"deltas\":[{\"postId\":9,\"counts\":[1,2]}]}", DeltaBatch.class,
					null));
	}

}
