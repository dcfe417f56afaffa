package dev.feedplatform.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Users.TestUser;

/**
 * The mixed workload: posts, likes, views, comments and follows through the public HTTP
 * API, as a careful client makes them. Each call is retried on 5xx or no answer until it
 * gets a definite answer or {@link #GIVE_UP} passes; retries of posts and comments carry
 * the same {@code Idempotency-Key}, likes and follows are idempotent by definition, views
 * are not (they are counted as bounded). Every acknowledgement lands in the
 * {@link Ledger}.
 */
final class Workload {

	/** How long one write keeps being retried through an outage. */
	static final Duration GIVE_UP = Duration.ofSeconds(120);

	private final Api api;

	private final Outcomes outcomes;

	private final Ledger ledger;

	private final List<TestUser> users;

	private final List<TestUser> authors;

	private final String run;

	private final AtomicLong sequence = new AtomicLong();

	Workload(Api api, Outcomes outcomes, Ledger ledger, List<TestUser> users, List<TestUser> authors, String run) {
		this.api = api;
		this.outcomes = outcomes;
		this.ledger = ledger;
		this.users = users;
		this.authors = authors;
		this.run = run;
	}

	/**
	 * One random operation, weighted like a feed's traffic: many views and likes, fewer
	 * posts.
	 */
	void any() {
		int dice = ThreadLocalRandom.current().nextInt(100);
		List<Ledger.Post> posts = new ArrayList<>(this.ledger.posts.values());
		if (posts.isEmpty() || dice < 20) {
			post(pick(this.authors));
		}
		else if (dice < 45) {
			like(pick(this.users), pick(posts).id());
		}
		else if (dice < 75) {
			view(pick(this.users), pick(posts).id());
		}
		else if (dice < 90) {
			comment(pick(this.users), pick(posts).id());
		}
		else {
			follow(pick(this.users), pick(this.authors));
		}
	}

	void post(TestUser author) {
		long n = this.sequence.incrementAndGet();
		String word = SearchWords.of(this.run, n);
		String body = "{\"type\":\"IMAGE\",\"title\":\"chaos " + word + "\",\"media\":[\"https://cdn.example/" + word
				+ ".jpg\"]}";
		String key = "chaos-" + this.run + "-" + n;
		Reply reply = call(() -> this.api.post("/api/posts", author.token(), body, "Idempotency-Key", key));
		if (reply != null && reply.status() == 201) {
			String id = reply.string("$.id");
			this.ledger.posts.put(id, new Ledger.Post(id, author.id(), word, this.outcomes.phase()));
		}
	}

	void like(TestUser user, String postId) {
		Ledger.setOf(this.ledger.attemptedLikes, postId).add(user.id());
		Reply reply = call(() -> this.api.post("/api/posts/" + postId + "/like", user.token(), null));
		if (reply != null && reply.status() == 204) {
			Ledger.setOf(this.ledger.likes, postId).add(user.id());
		}
	}

	void view(TestUser user, String postId) {
		Reply reply = call(() -> {
			Ledger.counter(this.ledger.viewAttempts, postId).incrementAndGet();
			return this.api.post("/api/posts/" + postId + "/views", user.token(), null);
		});
		if (reply != null && reply.status() == 202) {
			Ledger.counter(this.ledger.views, postId).incrementAndGet();
		}
	}

	void comment(TestUser user, String postId) {
		long n = this.sequence.incrementAndGet();
		String text = "comment " + this.run + " " + n;
		String key = "chaos-" + this.run + "-c" + n;
		Reply reply = call(() -> this.api.post("/api/posts/" + postId + "/comments", user.token(),
				"{\"text\":\"" + text + "\"}", "Idempotency-Key", key));
		if (reply != null && reply.status() == 201) {
			this.ledger.comments.put(text, new Ledger.Comment(postId, text, this.outcomes.phase()));
		}
	}

	void follow(TestUser user, TestUser author) {
		if (user.id() == author.id()) {
			return;
		}
		Reply reply = call(() -> this.api.post("/api/users/" + author.id() + "/follow", user.token(), null));
		if (reply != null && reply.status() == 204) {
			Ledger.setOf(this.ledger.follows, user.id()).add(author.id());
		}
	}

	/**
	 * Calls until a definite answer (any status below 500 but 429), recording every
	 * attempt's outcome; null when none came within {@link #GIVE_UP}.
	 */
	private Reply call(Supplier<Reply> attempt) {
		long deadline = System.nanoTime() + GIVE_UP.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				Reply reply = attempt.get();
				this.outcomes.record(Integer.toString(reply.status()));
				if (reply.status() < 500 && reply.status() != 429) {
					return reply;
				}
			}
			catch (RuntimeException noAnswer) {
				this.outcomes.record("io");
			}
			try {
				Thread.sleep(500);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
		}
		return null;
	}

	private static <T> T pick(List<T> list) {
		return list.get(ThreadLocalRandom.current().nextInt(list.size()));
	}

}
