package dev.feedplatform.testsupport;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Account fixtures: every test makes its own users with random phones, so tests share the
 * project's database and Redis without seeing each other's data.
 */
public final class Users {

	/**
	 * The code the demo profile (and test contexts with
	 * {@code feed.login.fixed-code=1000}) accepts.
	 */
	public static final String DEMO_CODE = "1000";

	private Users() {
	}

	public static String randomPhone() {
		return "19" + String.format("%011d", ThreadLocalRandom.current().nextLong(100_000_000_000L));
	}

	/**
	 * Logs a new user in with the fixed code; the app must run with
	 * {@code feed.login.fixed-code=1000}.
	 */
	public static TestUser create(Api api, String nickname) {
		return login(api, randomPhone(), nickname);
	}

	/**
	 * Logs in with a given phone (a moderator's, say); creates the account on first
	 * login.
	 */
	public static TestUser login(Api api, String phone, String nickname) {
		Reply reply = api.post("/api/auth/login", null,
				"{\"phone\":\"" + phone + "\",\"code\":\"" + DEMO_CODE + "\",\"nickname\":\"" + nickname + "\"}");
		if (reply.status() != 200) {
			throw new IllegalStateException("login failed: " + reply);
		}
		return new TestUser(Long.parseLong(reply.string("$.user.id")), reply.string("$.token"), nickname);
	}

	/** A logged-in user: its id and bearer token. */
	public record TestUser(long id, String token, String nickname) {
	}

}
