package dev.feedplatform.user.web;

import java.time.Instant;

import dev.feedplatform.common.auth.TokenCodec;
import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.testsupport.Api;
import dev.feedplatform.testsupport.Reply;
import dev.feedplatform.testsupport.Users;
import dev.feedplatform.testsupport.Users.TestUser;
import dev.feedplatform.user.DemoLoginTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bearer tokens as the API enforces them: missing, forged, foreign and expired tokens are
 * 401.
 */
@DemoLoginTest
class TokenIntegrationTests {

	@Value("${local.server.port}")
	int port;

	@Value("${feed.auth.token-secret}")
	String secret;

	Api api;

	TestUser user;

	@BeforeEach
	void setUp() {
		this.api = new Api(this.port);
		this.user = Users.create(this.api, "tokens");
	}

	@Test
	void aValidTokenIsAccepted() {
		assertThat(this.api.get("/api/users/me", this.user.token()).status()).isEqualTo(200);
	}

	@Test
	void aMissingTokenIs401() {
		Reply reply = this.api.get("/api/users/me", null);
		assertThat(reply.status()).isEqualTo(401);
		assertThat(reply.isProblem()).isTrue();
		assertThat(this.api.send("GET", "/api/users/me", null, null, null).status()).isEqualTo(401);
	}

	@Test
	void aTokenWhosePayloadWasChangedIs401() {
		// Swap the payload for another user's while keeping the signature: the MAC no
		// longer matches.
		TestUser other = Users.create(this.api, "other");
		String[] mine = this.user.token().split("\\.");
		String[] theirs = other.token().split("\\.");
		String forged = mine[0] + "." + theirs[1] + "." + mine[2];
		assertThat(this.api.get("/api/users/me", forged).status()).isEqualTo(401);
		assertThat(this.api.get("/api/users/me", this.user.token() + "x").status()).isEqualTo(401);
		assertThat(this.api.get("/api/users/me", "garbage").status()).isEqualTo(401);
	}

	@Test
	void aTokenSignedWithAnotherSecretIs401() {
		String foreign = new TokenCodec("another-secret-another-secret-another-secret")
			.issue(new Viewer(this.user.id(), true), Instant.now().plusSeconds(3600));
		assertThat(this.api.get("/api/users/me", foreign).status()).isEqualTo(401);
	}

	@Test
	void anExpiredTokenIs401() {
		String expired = new TokenCodec(this.secret).issue(new Viewer(this.user.id(), false),
				Instant.now().minusSeconds(1));
		Reply reply = this.api.get("/api/users/me", expired);
		assertThat(reply.status()).isEqualTo(401);
		assertThat(reply.string("$.detail")).contains("expired");
	}

}
