package dev.feedplatform.user.web;

import java.util.stream.Stream;

import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Users;
import dev.feedplatform.testsupport.Users.TestUser;
import dev.feedplatform.user.DemoLoginTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Table of malformed requests: each must get the stated 4xx as problem details, never a
 * 5xx. {@code {self}} in a path stands for the caller's own id.
 */
@DemoLoginTest
class BadInputIntegrationTests {

	private static final String JSON = "application/json";

	@Value("${local.server.port}")
	int port;

	Api api;

	TestUser user;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
		this.user = Users.create(this.api, "bad-input");
	}

	static Stream<Arguments> badRequests() {
		String big = "x".repeat(300 * 1024);
		return Stream
			.of(arguments("malformed JSON", "POST", "/api/auth/login", "{\"phone\":", JSON, 400),
					arguments("JSON array instead of object", "POST", "/api/auth/login", "[1,2]", JSON, 400),
					arguments("object where a string belongs", "POST", "/api/auth/login",
							"{\"phone\":{\"a\":1},\"code\":\"1000\"}", JSON, 400),
					arguments("missing phone", "POST", "/api/auth/login", "{\"code\":\"1000\"}", JSON, 400),
					arguments("missing code", "POST", "/api/auth/login", "{\"phone\":\"13800000000\"}", JSON, 400),
					arguments("empty body", "POST", "/api/auth/login", "", JSON, 400),
					arguments("letters in phone", "POST", "/api/auth/code", "{\"phone\":\"12345abc\"}", JSON, 400),
					arguments("too short phone", "POST", "/api/auth/code", "{\"phone\":\"123\"}", JSON, 400),
					arguments("nickname over 50 characters", "POST", "/api/auth/login",
							"{\"phone\":\"13800000000\",\"code\":\"1000\",\"nickname\":\"" + "n".repeat(51) + "\"}",
							JSON, 400),
					arguments("wrong content type", "POST", "/api/auth/login", "phone=1", "text/plain", 415),
					arguments("body over the size limit", "POST", "/api/auth/login", "{\"phone\":\"" + big + "\"}",
							JSON, 413),
					arguments("non-numeric user id", "GET", "/api/users/abc", null, null, 400),
					arguments("negative user id", "GET", "/api/users/-5", null, null, 400),
					arguments("user id beyond 64 bits", "GET", "/api/users/99999999999999999999", null, null, 400),
					arguments("unknown user", "GET", "/api/users/123", null, null, 404),
					arguments("size zero", "GET", "/api/users/{self}/followers?size=0", null, null, 400),
					arguments("negative size", "GET", "/api/users/{self}/followers?size=-1", null, null, 400),
					arguments("non-numeric size", "GET", "/api/users/{self}/followers?size=ten", null, null, 400),
					arguments("non-numeric last_id", "GET", "/api/users/{self}/following?last_id=abc", null, null, 400),
					arguments("zero last_id", "GET", "/api/users/{self}/following?last_id=0", null, null, 400),
					arguments("follow a non-numeric id", "POST", "/api/users/x1/follow", null, null, 400),
					arguments("follow yourself", "POST", "/api/users/{self}/follow", null, null, 400),
					arguments("unknown route", "GET", "/api/nothing-here", null, null, 404),
					arguments("wrong method", "PUT", "/api/users/me", "{}", JSON, 405));
	}

	@ParameterizedTest(name = "{0} -> {5}")
	@MethodSource("badRequests")
	void badInputGetsAClear4xxProblem(String name, String method, String path, String body, String contentType,
			int status) {
		String token = path.startsWith("/api/auth/") ? null : this.user.token();
		Reply reply = this.api.send(method, path.replace("{self}", Long.toString(this.user.id())), token, body,
				contentType);
		assertThat(reply.status()).as(name + ": " + reply).isEqualTo(status);
		assertThat(reply.isProblem()).as(name + " answers problem details: " + reply.contentType()).isTrue();
		assertThat(reply.string("$.status")).isEqualTo(Integer.toString(status));
		assertThat(reply.string("$.detail")).isNotBlank();
	}

	@ParameterizedTest(name = "size {0} is capped at 100")
	@MethodSource("oversizedPages")
	void pageSizesAbove100AreCappedNotRefused(String size) {
		Reply reply = this.api.get("/api/users/" + this.user.id() + "/followers?size=" + size, this.user.token());
		assertThat(reply.status()).isEqualTo(200);
	}

	static Stream<String> oversizedPages() {
		return Stream.of("101", "100000");
	}

}
