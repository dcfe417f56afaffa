package dev.feedplatform.publish.fanout;

import java.util.List;
import java.util.function.Consumer;

import dev.feedplatform.runtime.ports.SocialGraph;
import org.springframework.stereotype.Component;

/**
 * An account's followers in follower-id order, one range of the user module's follow
 * graph per chunk: the planner, the core-fan pick and retraction cleanup all walk a
 * follower list of any length this way.
 */
@Component
public class FollowerScan {

	private final SocialGraph graph;

	FollowerScan(SocialGraph graph) {
		this.graph = graph;
	}

	/**
	 * Up to {@code limit} followers of {@code accountId} with ids above {@code after},
	 * ascending.
	 */
	public List<Long> after(long accountId, long after, int limit) {
		return this.graph.followersAfter(accountId, after, limit);
	}

	/**
	 * Every follower, {@code chunk} at a time; the last chunk may be short (or empty).
	 */
	public void each(long accountId, int chunk, Consumer<List<Long>> consumer) {
		long after = 0;
		while (true) {
			List<Long> fans = after(accountId, after, chunk);
			consumer.accept(fans);
			if (fans.size() < chunk) {
				return;
			}
			after = fans.get(fans.size() - 1);
		}
	}

}
