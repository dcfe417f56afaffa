package dev.feedplatform.detailaggregator.page;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.paging.PageRequest;
import dev.feedplatform.detailaggregator.comment.CommentView;
import dev.feedplatform.detailaggregator.comment.Comments;
import dev.feedplatform.detailaggregator.history.OpenedPages;
import dev.feedplatform.runtime.ports.Blacklist;
import dev.feedplatform.runtime.ports.PostCounts;
import dev.feedplatform.runtime.ports.SocialGraph;
import dev.feedplatform.runtime.ports.PostReactions;
import dev.feedplatform.runtime.ports.UserDirectory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Assembles a detail page. The blacklist is checked first, on every request and on every
 * instance (one HGET: O(1), no message to miss), so a moderated or retracted post is 404
 * the moment its entry is written. Then the post core (lease-cached); then, in parallel
 * with their own deadlines, the author (critical) and the counts, relation, reaction and
 * first comments (optional: the page degrades without them and says which).
 */
@Component
class DetailPage implements DisposableBean {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DetailPage.class);

	static final int FIRST_COMMENTS = 20;

	private final Blacklist blacklist;

	private final PostCores cores;

	private final UserDirectory users;

	private final SocialGraph following;

	private final PostCounts counts;

	private final PostReactions reactions;

	private final Comments comments;

	private final DetailSettings settings;

	private final OpenedPages history;

	private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

	DetailPage(Blacklist blacklist, PostCores cores, UserDirectory users, SocialGraph following, PostCounts counts,
			PostReactions reactions, Comments comments, DetailSettings settings, OpenedPages history) {
		this.blacklist = blacklist;
		this.cores = cores;
		this.users = users;
		this.following = following;
		this.counts = counts;
		this.reactions = reactions;
		this.comments = comments;
		this.settings = settings;
		this.history = history;
	}

	DetailView view(long postId, Viewer viewer) {
		if (this.blacklist.isBlocked(postId)) {
			throw Problem.notFound("no post " + postId);
		}
		PostCore post = this.cores.get(postId).orElseThrow(() -> Problem.notFound("no post " + postId));
		if (post.repostOf() != null) {
			// A repost lives only as long as its original: deleted or blacklisted, the
			// repost is gone too (issue 19).
			long original = Long.parseLong(post.repostOf());
			if (this.blacklist.isBlocked(original) || this.cores.get(original).isEmpty()) {
				throw Problem.notFound("no post " + postId);
			}
		}
		long authorId = post.numericAuthorId();
		Fanout parts = new Fanout(this.executor);
		var author = parts.critical("author", this.settings.criticalTimeout(),
				() -> this.users.user(authorId).orElseThrow(() -> Problem.notFound("no author " + authorId)));
		var followed = parts.optional("followed_by_me", this.settings.optionalTimeout(),
				() -> viewer.userId() != authorId && this.following.follows(viewer.userId(), authorId));
		var counted = parts.optional("counts", this.settings.optionalTimeout(),
				() -> this.counts.counts(List.of(postId)).get(postId));
		var liked = parts.optional("liked_by_me", this.settings.optionalTimeout(),
				() -> this.reactions.liked(viewer.userId(), postId));
		var firstComments = parts.optional("comments", this.settings.optionalTimeout(),
				() -> this.comments.pageOfVisible(postId, PageRequest.first(FIRST_COMMENTS)).items());
		parts.await();
		UserDirectory.UserSummary a = author.value().orElseThrow();
		DetailView.Author authorView = new DetailView.Author(Long.toString(a.id()), a.nickname(), a.followers(),
				a.following(), a.bigAccount(), followed.value().orElse(null));
		DetailView.Counts countsView = counted.value()
			.map(c -> new DetailView.Counts(c.likes(), c.views(), c.favorites(), c.shares(), c.comments()))
			.orElse(null);
		List<CommentView> commentItems = firstComments.value().orElse(List.of());
		try {
			// one map put; written in the next merged flush
			this.history.opened(viewer.userId(), postId);
		}
		catch (RuntimeException ex) {
			// History is a convenience: no id (the worker lease is being renewed) must
			// not fail the page.
			log.debug("history of {} not recorded: {}", viewer.userId(), ex.toString());
		}
		return new DetailView(post, authorView, countsView, liked.value().orElse(null), commentItems, parts.degraded());
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

}
