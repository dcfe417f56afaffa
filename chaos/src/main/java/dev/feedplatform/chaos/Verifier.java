package dev.feedplatform.chaos;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.ImClient;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Users.TestUser;

/**
 * Holds the platform to its {@link Ledger}, through the public API only: every
 * acknowledged post readable and stored once (no two posts with one title), likes exact
 * (between the acknowledged and the attempted ones), views bounded (between acknowledged
 * views and attempts), every acknowledged comment stored once, every follower's timeline
 * holding every post of the authors they follow (and no post twice), search finding every
 * post, and the chat receiver holding every acknowledged message once, in order.
 */
final class Verifier {

	/** One lost or doubled write, with the phase its acknowledgement fell in. */
	record Finding(String kind, String phase, String what, boolean doubled) {

		@Override
		public String toString() {
			return (this.doubled ? "DOUBLED " : "LOST ") + this.kind + " " + this.what + " (acknowledged during "
					+ this.phase + ")";
		}

	}

	private final Api api;

	private final Ledger ledger;

	private final List<TestUser> users;

	private final List<TestUser> authors;

	private final String run;

	private final ChatLoad chat;

	Verifier(Api api, Ledger ledger, List<TestUser> users, List<TestUser> authors, String run, ChatLoad chat) {
		this.api = api;
		this.ledger = ledger;
		this.users = users;
		this.authors = authors;
		this.run = run;
		this.chat = chat;
	}

	List<Finding> check() {
		List<Finding> findings = new ArrayList<>();
		posts(findings);
		counters(findings);
		comments(findings);
		timelines(findings);
		search(findings);
		chat(findings);
		return findings;
	}

	private void posts(List<Finding> findings) {
		TestUser reader = this.users.get(0);
		for (Ledger.Post post : this.ledger.posts.values()) {
			if (ok(this.api.get("/api/posts/" + post.id(), reader.token())) == null) {
				findings.add(new Finding("post", post.phase(), post.id(), false));
			}
		}
		for (TestUser author : this.authors) {
			Map<String, Integer> titles = new HashMap<>();
			for (String title : all("/api/users/" + author.id() + "/posts", reader, "$.items[*].title")) {
				titles.merge(title, 1, Integer::sum);
			}
			titles.forEach((title, n) -> {
				if (n > 1 && title.startsWith("chaos chaos" + this.run)) {
					findings.add(new Finding("post", "?", title + " stored " + n + " times", true));
				}
			});
		}
	}

	private void counters(List<Finding> findings) {
		TestUser reader = this.users.get(0);
		List<String> ids = new ArrayList<>(this.ledger.posts.keySet());
		for (int from = 0; from < ids.size(); from += 50) {
			List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 50));
			Reply reply = ok(this.api.get("/api/counters?ids=" + String.join(",", chunk), reader.token()));
			if (reply == null) {
				findings.add(new Finding("counters", "?", "GET /api/counters failed", false));
				continue;
			}
			for (String id : chunk) {
				String phase = this.ledger.posts.get(id).phase();
				long likes = reply.number("$['" + id + "'].likes");
				int acked = Ledger.setOf(this.ledger.likes, id).size();
				int attempted = Ledger.setOf(this.ledger.attemptedLikes, id).size();
				if (likes < acked) {
					findings.add(new Finding("like", phase, id + ": " + likes + " counted, " + acked + " acknowledged",
							false));
				}
				if (likes > attempted) {
					findings.add(new Finding("like", phase,
							id + ": " + likes + " counted, only " + attempted + " attempted", true));
				}
				long views = reply.number("$['" + id + "'].views");
				int viewed = Ledger.counter(this.ledger.views, id).get();
				int tries = Ledger.counter(this.ledger.viewAttempts, id).get();
				if (views < viewed) {
					findings.add(new Finding("view", phase, id + ": " + views + " counted, " + viewed + " acknowledged",
							false));
				}
				if (views > tries) {
					findings
						.add(new Finding("view", phase, id + ": " + views + " counted, only " + tries + " sent", true));
				}
			}
		}
	}

	private void comments(List<Finding> findings) {
		TestUser reader = this.users.get(0);
		Map<String, List<Ledger.Comment>> byPost = this.ledger.comments.values()
			.stream()
			.collect(Collectors.groupingBy(Ledger.Comment::postId));
		byPost.forEach((postId, acked) -> {
			Map<String, Integer> stored = new HashMap<>();
			all("/api/posts/" + postId + "/comments", reader, "$.items[*].text")
				.forEach(t -> stored.merge(t, 1, Integer::sum));
			for (Ledger.Comment comment : acked) {
				int n = stored.getOrDefault(comment.text(), 0);
				if (n == 0) {
					findings
						.add(new Finding("comment", comment.phase(), "'" + comment.text() + "' on " + postId, false));
				}
			}
			stored.forEach((text, n) -> {
				if (n > 1) {
					findings.add(new Finding("comment", "?", "'" + text + "' stored " + n + " times", true));
				}
			});
		});
	}

	private void timelines(List<Finding> findings) {
		for (TestUser user : this.users) {
			Set<Long> followed = Ledger.setOf(this.ledger.follows, user.id());
			List<String> got = all("/api/timeline", user, "$.items[*].id");
			Set<String> seen = new HashSet<>();
			for (String id : got) {
				if (!seen.add(id)) {
					findings.add(new Finding("timeline", "?",
							"post " + id + " twice on " + user.nickname() + "'s timeline", true));
				}
			}
			for (Ledger.Post post : this.ledger.posts.values()) {
				if (followed.contains(post.author()) && !seen.contains(post.id())) {
					findings.add(new Finding("timeline", post.phase(),
							"post " + post.id() + " missing from " + user.nickname() + "'s timeline", false));
				}
			}
		}
	}

	private void search(List<Finding> findings) {
		TestUser reader = this.users.get(0);
		for (Ledger.Post post : this.ledger.posts.values()) {
			Reply reply = ok(this.api
				.get("/api/search?size=5&q=" + URLEncoder.encode(post.word(), StandardCharsets.UTF_8), reader.token()));
			if (reply == null || !reply.strings("$.items[*].id").contains(post.id())) {
				findings
					.add(new Finding("search", post.phase(), "post " + post.id() + " (" + post.word() + ")", false));
			}
		}
	}

	private void chat(List<Finding> findings) {
		ImClient.Accepted received = this.chat.received();
		Map<String, Long> counts;
		synchronized (received) {
			counts = received.texts.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
		}
		this.ledger.chats.forEach((seq, phase) -> {
			long n = counts.getOrDefault("m" + seq, 0L);
			if (n == 0) {
				findings.add(new Finding("chat", phase, "message " + seq, false));
			}
		});
		counts.forEach((text, n) -> {
			if (n > 1) {
				findings.add(new Finding("chat", "?", text + " delivered " + n + " times", true));
			}
		});
		if (received.outOfOrder > 0) {
			findings.add(new Finding("chat", "?", received.outOfOrder + " messages arrived out of order (a gap in seq)",
					false));
		}
	}

	/**
	 * Every page of a paged list (by {@code last_id}), the values at {@code path} of all
	 * items.
	 */
	private List<String> all(String path, TestUser reader, String itemPath) {
		List<String> out = new ArrayList<>();
		String lastId = null;
		for (int page = 0; page < 200; page++) {
			String sep = path.contains("?") ? "&" : "?";
			Reply reply = ok(this.api.get(path + sep + "size=100" + (lastId == null ? "" : "&last_id=" + lastId),
					reader.token()));
			if (reply == null) {
				break;
			}
			out.addAll(reply.strings(itemPath));
			Boolean more = reply.json("$.has_more");
			lastId = reply.body().contains("\"last_id\":null") ? null : reply.string("$.last_id");
			if (!Boolean.TRUE.equals(more) || lastId == null) {
				break;
			}
		}
		return out;
	}

	private static Reply ok(Reply reply) {
		return reply != null && reply.status() == 200 ? reply : null;
	}

}
