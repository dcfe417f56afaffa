package dev.feedplatform.counterserver;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.feedplatform.runtime.ports.CounterIncrements;
import dev.feedplatform.runtime.ports.PostCounts;
import dev.feedplatform.runtime.ports.PostReactions;
import dev.feedplatform.runtime.ports.PostRecord;
import org.springframework.stereotype.Component;

/** What the counter server offers other modules, through the runtime's ports. */
@Component
class CounterPorts implements PostCounts, PostReactions, CounterIncrements {

	private final CounterReads reads;

	private final Reactions reactions;

	private final WriteMerger merger;

	private final ReactionMapper records;

	CounterPorts(CounterReads reads, Reactions reactions, WriteMerger merger, ReactionMapper records) {
		this.reads = reads;
		this.reactions = reactions;
		this.merger = merger;
		this.records = records;
	}

	@Override
	public Map<Long, Counts> counts(List<Long> postIds) {
		Map<Long, Counts> out = new LinkedHashMap<>();
		this.reads.counts(postIds)
			.forEach((post, t) -> out.put(post,
					new Counts(t.likes(), t.views(), t.favorites(), t.shares(), t.comments())));
		return out;
	}

	@Override
	public boolean liked(long userId, long postId) {
		return !this.reactions.reactedAmong(userId, Reactions.Kind.LIKE, List.of(postId)).isEmpty();
	}

	@Override
	public boolean favorited(long userId, long postId) {
		return !this.reactions.reactedAmong(userId, Reactions.Kind.FAVORITE, List.of(postId)).isEmpty();
	}

	@Override
	public List<PostRecord> likes(long userId, long belowId, int limit) {
		return this.records.page(userId, Reactions.Kind.LIKE.code, belowId, limit);
	}

	@Override
	public List<PostRecord> favorites(long userId, long belowId, int limit) {
		return this.records.page(userId, Reactions.Kind.FAVORITE.code, belowId, limit);
	}

	@Override
	public void comments(long postId, long delta) {
		this.merger.addAndWait(postId, CounterField.COMMENTS, delta);
	}

	@Override
	public void shares(long postId, long delta) {
		this.merger.addAndWait(postId, CounterField.SHARES, delta);
	}

}
