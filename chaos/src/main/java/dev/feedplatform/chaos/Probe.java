package dev.feedplatform.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Users.TestUser;

/**
 * How soon the asynchronous paths work again after a restart (issue 14 item 5: consumers
 * must resume within seconds of the broker's return, and it was part of the queues that
 * stalled): new posts' way into a follower's timeline (fan-out through RocketMQ, each
 * post keyed to its own queue) and likes' way into the counts (merged, through RocketMQ,
 * applied to MariaDB and Redis). Measured from the last write's acknowledgement until all
 * of them show; -1 when not within {@link #WAIT}.
 */
final class Probe {

	static final Duration WAIT = Duration.ofSeconds(120);

	/**
	 * Posts (and likes) per probe: each keyed to its own queue, so one stalled queue
	 * shows.
	 */
	static final int POSTS = 8;

	/**
	 * Seconds until the post was on the follower's timeline, and until the like was
	 * counted.
	 */
	record Result(double fanOutSeconds, double countSeconds) {
	}

	private final Api api;

	private final TestUser author;

	private final TestUser follower;

	Probe(Api api, TestUser author, TestUser follower) {
		this.api = api;
		this.author = author;
		this.follower = follower;
		this.api.post("/api/users/" + author.id() + "/follow", follower.token(), null);
		// a live inbox, pushed to from now on
		this.api.get("/api/timeline", follower.token());
	}

	Result measure() throws InterruptedException {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < POSTS; i++) {
			String key = UUID.randomUUID().toString();
			Reply posted = until(() -> this.api.post("/api/posts", this.author.token(),
					"{\"type\":\"IMAGE\",\"title\":\"probe\",\"media\":[\"https://cdn.example/probe.jpg\"]}",
					"Idempotency-Key", key), 201);
			if (posted == null) {
				return new Result(-1, -1);
			}
			ids.add(posted.string("$.id"));
		}
		long at = System.nanoTime();
		double fanOut = seconds(at,
				() -> this.api.get("/api/timeline?size=" + (POSTS + 5), this.follower.token())
					.strings("$.items[*].id")
					.containsAll(ids));
		for (String id : ids) {
			if (until(() -> this.api.post("/api/posts/" + id + "/like", this.follower.token(), null), 204) == null) {
				return new Result(fanOut, -1);
			}
		}
		long likedAt = System.nanoTime();
		String list = String.join(",", ids);
		double count = seconds(likedAt, () -> {
			Reply counts = this.api.get("/api/counters?ids=" + list, this.follower.token());
			return ids.stream().allMatch(id -> counts.number("$['" + id + "'].likes") >= 1);
		});
		return new Result(fanOut, count);
	}

	private interface Check {

		boolean done();

	}

	private interface Call {

		Reply call();

	}

	private static double seconds(long from, Check check) throws InterruptedException {
		while (System.nanoTime() - from < WAIT.toNanos()) {
			try {
				if (check.done()) {
					return (System.nanoTime() - from) / 1e9;
				}
			}
			catch (RuntimeException notYet) {
				// no answer: keep polling
			}
			Thread.sleep(100);
		}
		return -1;
	}

	private static Reply until(Call call, int status) throws InterruptedException {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				Reply reply = call.call();
				if (reply.status() == status) {
					return reply;
				}
			}
			catch (RuntimeException noAnswer) {
				// keep trying
			}
			Thread.sleep(250);
		}
		return null;
	}

}
