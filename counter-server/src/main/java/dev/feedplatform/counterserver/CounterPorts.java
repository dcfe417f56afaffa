package dev.feedplatform.counterserver;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.feedplatform.runtime.ports.CounterIncrements;
import dev.feedplatform.runtime.ports.PostCounts;
import dev.feedplatform.runtime.ports.PostReactions;
import org.springframework.stereotype.Component;

/** What the counter server offers other modules, through the runtime's ports. */
@Component
class CounterPorts implements PostCounts, PostReactions, CounterIncrements {

	private final CounterReads reads;

	private final Reactions reactions;

	private final WriteMerger merger;

	CounterPorts(CounterReads reads, Reactions reactions, WriteMerger merger) {
		this.reads = reads;
		this.reactions = reactions;
		this.merger = merger;
	}

	@Override
	public Map<Long, Counts> counts(List<Long> postIds) {
		Map<Long, Counts> out = new LinkedHashMap<>();
		this.reads.counts(postIds).forEach((post, c) -> out.put(post, new Counts(c[CounterField.LIKES.ordinal()],
				c[CounterField.VIEWS.ordinal()], c[CounterField.FAVORITES.ordinal()], c[CounterField.SHARES.ordinal()],
				c[CounterField.COMMENTS.ordinal()])));
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
	public void comments(long postId, long delta) {
		this.merger.addAndWait(postId, CounterField.COMMENTS, delta);
	}

}
