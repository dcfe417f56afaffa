package dev.feedplatform.publish.fanout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.feedplatform.runtime.messaging.EventJson;
import dev.feedplatform.publish.events.FanOutBatch;
import dev.feedplatform.publish.events.PostPublished;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fan-out planner's batching rules ({@link FanOutPlan}), without Redis, MariaDB or
 * the broker.
 */
class FanOutPlanTests {

	static final long NOW = 1_750_000_000_000L;

	static final long HOUR = Duration.ofHours(1).toMillis();

	static final PostPublished POST = new PostPublished(900, 42, NOW - 5, false);

	/** Active within 7 days, hot within 1 day, {@code batchSize} fans per batch. */
	private static FanOutSettings settings(int batchSize) {
		return new FanOutSettings(batchSize, 8, Duration.ofSeconds(10), true, Duration.ofDays(1), List.of(),
				Duration.ofMinutes(10), Duration.ofMinutes(2));
	}

	private static FanOutPlan plan(int batchSize) {
		return new FanOutPlan(POST, settings(batchSize), Duration.ofDays(7), NOW);
	}

	/**
	 * Fan id &rarr; last seen, in the order given: what the activity index answers for
	 * one range.
	 */
	private static Map<Long, Long> seen(long... fanThenSeenAt) {
		Map<Long, Long> seen = new LinkedHashMap<>();
		for (int i = 0; i < fanThenSeenAt.length; i += 2) {
			seen.put(fanThenSeenAt[i], fanThenSeenAt[i + 1]);
		}
		return seen;
	}

	private static List<FanOutBatch> decoded(List<Map.Entry<String, String>> messages) {
		return messages.stream().map(message -> EventJson.decode(message.getValue(), FanOutBatch.class, null)).toList();
	}

	@Test
	void activeMeansSeenWithinActiveDaysPlusADayOfSlack() {
		assertThat(plan(500).activeSince()).isEqualTo(NOW - Duration.ofDays(8).toMillis());
	}

	@Test
	void hotAndOccasionalFansGoInSeparateBatchesAndOnlyTheOccasionalOnesCarryTheFlag() {
		FanOutPlan plan = plan(10);
		assertThat(plan
			.add(seen(1, NOW - HOUR, 2, NOW - 3 * 24 * HOUR, 3, NOW, 4, NOW - 6 * 24 * HOUR, 5, NOW - 2 * HOUR)))
			.isEmpty();
		List<Map.Entry<String, String>> rest = plan.finish();
		List<FanOutBatch> batches = decoded(rest);
		assertThat(batches).hasSize(2);
		assertThat(batches.get(0).fans()).containsExactly(1, 3, 5);
		assertThat(batches.get(0).occasional()).isFalse();
		assertThat(rest.get(0).getValue()).doesNotContain("\"occasional\":true");
		assertThat(batches.get(1).fans()).containsExactly(2, 4);
		assertThat(batches.get(1).occasional()).isTrue();
		assertThat(rest.get(1).getValue()).contains("\"occasional\":true");
		assertThat(batches).allSatisfy(batch -> {
			assertThat(batch.postId()).isEqualTo(POST.postId());
			assertThat(batch.authorId()).isEqualTo(POST.authorId());
			assertThat(batch.createdAtMs()).isEqualTo(POST.createdAtMs());
		});
	}

	@Test
	void aFanSeenExactlyHotWithinAgoIsStillHot() {
		long hotSince = NOW - Duration.ofDays(1).toMillis();
		FanOutPlan plan = plan(10);
		plan.add(seen(1, hotSince, 2, hotSince - 1));
		List<FanOutBatch> batches = decoded(plan.finish());
		assertThat(batches).extracting(FanOutBatch::occasional).containsExactly(false, true);
		assertThat(batches.get(0).fans()).containsExactly(1);
		assertThat(batches.get(1).fans()).containsExactly(2);
	}

	@Test
	void aBatchLeavesAsSoonAsItIsFullAndTheRestWaitsForTheLastRange() {
		FanOutPlan plan = plan(3);
		List<FanOutBatch> first = decoded(plan.add(seen(1, NOW, 2, NOW, 3, NOW, 4, NOW, 5, NOW, 6, NOW, 7, NOW, 8, 0)));
		assertThat(first).hasSize(2);
		assertThat(first.get(0).fans()).containsExactly(1, 2, 3);
		assertThat(first.get(1).fans()).containsExactly(4, 5, 6);
		// Part-filled batches carry over to the next range instead of leaving half empty.
		List<FanOutBatch> second = decoded(plan.add(seen(9, NOW, 10, NOW, 11, 0)));
		assertThat(second).hasSize(1);
		assertThat(second.get(0).fans()).containsExactly(7, 9, 10);
		List<FanOutBatch> rest = decoded(plan.finish());
		assertThat(rest).hasSize(1);
		assertThat(rest.get(0).fans()).containsExactly(8, 11);
		assertThat(rest.get(0).occasional()).isTrue();
	}

	@Test
	void everyActiveFanIsPlannedOnceInBatchesNoLargerThanTheBatchSize() {
		Random random = new Random(20);
		int batchSize = 7;
		FanOutPlan plan = plan(batchSize);
		List<Long> fans = new ArrayList<>();
		List<Long> occasional = new ArrayList<>();
		List<FanOutBatch> batches = new ArrayList<>();
		long fan = 0;
		for (int range = 0; range < 13; range++) {
			Map<Long, Long> seen = new LinkedHashMap<>();
			for (int i = random.nextInt(30); i > 0; i--) {
				fan += 1 + random.nextInt(5);
				boolean hot = random.nextBoolean();
				seen.put(fan,
						hot ? NOW - random.nextLong(24 * HOUR) : NOW - 24 * HOUR - 1 - random.nextLong(6 * 24 * HOUR));
				fans.add(fan);
				if (!hot) {
					occasional.add(fan);
				}
			}
			batches.addAll(decoded(plan.add(seen)));
		}
		batches.addAll(decoded(plan.finish()));
		assertThat(batches).allSatisfy(batch -> assertThat(batch.fans()).hasSizeBetween(1, batchSize));
		assertThat(batches.stream().flatMapToLong(batch -> java.util.Arrays.stream(batch.fans())).boxed().toList())
			.containsExactlyInAnyOrderElementsOf(fans);
		assertThat(batches.stream()
			.filter(FanOutBatch::occasional)
			.flatMapToLong(batch -> java.util.Arrays.stream(batch.fans()))
			.boxed()
			.toList()).containsExactlyInAnyOrderElementsOf(occasional);
		assertThat(batches.stream().filter(batch -> batch.fans().length < batchSize))
			.as("at most one part-filled batch of each kind")
			.hasSizeLessThanOrEqualTo(2);
	}

	@Test
	void aPostWithoutActiveFansSendsNoBatchAtAll() {
		FanOutPlan plan = plan(500);
		assertThat(plan.add(Map.of())).isEmpty();
		assertThat(plan.finish()).isEmpty();
	}

	@Test
	void aRedeliveredPlanSendsTheSameMessagesUnderTheSameKeys() {
		Map<Long, Long> range = seen(3, NOW, 8, 0, 13, NOW, 21, NOW);
		FanOutPlan once = plan(2);
		FanOutPlan again = plan(2);
		List<Map.Entry<String, String>> first = new ArrayList<>(once.add(range));
		first.addAll(once.finish());
		List<Map.Entry<String, String>> second = new ArrayList<>(again.add(range));
		second.addAll(again.finish());
		assertThat(second).isEqualTo(first);
		assertThat(first).extracting(Map.Entry::getKey).containsExactly("900-13", "900-21", "900-8");
	}

	@Test
	void aBigAccountsCoreFansGetFullInboxesInIdOrderAndInBatches() {
		List<Map.Entry<String, String>> messages = FanOutPlan.coreBatches(POST, new long[] { 9, 3, 7, 1, 5 }, 2);
		List<FanOutBatch> batches = decoded(messages);
		assertThat(batches).extracting(FanOutBatch::fans)
			.containsExactly(new long[] { 1, 3 }, new long[] { 5, 7 }, new long[] { 9 });
		assertThat(batches).noneMatch(FanOutBatch::occasional);
		assertThat(messages).extracting(Map.Entry::getKey).containsExactly("900-3", "900-7", "900-9");
		assertThat(FanOutPlan.coreBatches(POST, new long[0], 2)).as("no core fans yet: nothing pushed").isEmpty();
	}

}
