package dev.feedplatform.chaos;

import java.time.Duration;
import java.util.UUID;

import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Users.TestUser;

/**
 * How soon the asynchronous paths work again after a restart (issue 14 item 5: consumers must
 * resume within seconds of the broker's return): a new post's way into a follower's timeline
 * (fan-out through RocketMQ) and a like's way into the counts (merged, through RocketMQ, applied
 * to MariaDB and Redis). Each measured from the write's acknowledgement; -1 when not seen within
 * {@link #WAIT}.
 */
final class Probe {

	static final Duration WAIT = Duration.ofSeconds(120);

	/** Seconds until the post was on the follower's timeline, and until the like was counted. */
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
		this.api.get("/api/timeline", follower.token()); // a live inbox, pushed to from now on
	}

	Result measure() throws InterruptedException {
		String key = UUID.randomUUID().toString();
		Reply posted = until(() -> this.api.post("/api/posts", this.author.token(),
				"{\"type\":\"IMAGE\",\"title\":\"probe\",\"media\":[\"https://cdn.example/probe.jpg\"]}", "Idempotency-Key", key), 201);
		if (posted == null) {
			return new Result(-1, -1);
		}
		String id = posted.string("$.id");
		long at = System.nanoTime();
		double fanOut = seconds(at, () -> this.api.get("/api/timeline?size=5", this.follower.token()).strings("$.items[*].id").contains(id));
		Reply liked = until(() -> this.api.post("/api/posts/" + id + "/like", this.follower.token(), null), 204);
		if (liked == null) {
			return new Result(fanOut, -1);
		}
		long likedAt = System.nanoTime();
		double count = seconds(likedAt, () -> this.api.get("/api/counters?ids=" + id, this.follower.token()).number("$['" + id + "'].likes") >= 1);
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
