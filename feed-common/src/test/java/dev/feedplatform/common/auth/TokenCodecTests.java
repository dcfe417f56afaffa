package dev.feedplatform.common.auth;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TokenCodecTests {

	private static final String SECRET = "0123456789abcdef0123456789abcdef";

	private final TokenCodec codec = new TokenCodec(SECRET);

	private final Instant now = Instant.parse("2026-11-22T10:00:00Z");

	@Test
	void roundTripsTheViewerUntilExpiry() {
		String token = this.codec.issue(new Viewer(42, true), this.now.plusSeconds(60));
		assertThat(this.codec.verify(token, this.now)).contains(new Viewer(42, true));
		assertThat(this.codec.verify(token, this.now.plusSeconds(59))).isPresent();
		assertThat(this.codec.verify(token, this.now.plusSeconds(60))).isEmpty();
	}

	@Test
	void anyChangedCharacterInvalidatesTheToken() {
		String token = this.codec.issue(new Viewer(42, false), this.now.plusSeconds(60));
		for (int i = 3; i < token.length(); i++) {
			char c = token.charAt(i);
			String changed = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
			assertThat(this.codec.verify(changed, this.now)).as("changed at " + i).isEmpty();
		}
	}

	@Test
	void anotherSecretDoesNotVerify() {
		String token = new TokenCodec("another-secret-another-secret-xx").issue(new Viewer(1, false),
				this.now.plusSeconds(60));
		assertThat(this.codec.verify(token, this.now)).isEmpty();
	}

	@Test
	void garbageIsRejectedWithoutThrowing() {
		assertThat(this.codec.verify(null, this.now)).isEmpty();
		assertThat(this.codec.verify("", this.now)).isEmpty();
		assertThat(this.codec.verify("v1.", this.now)).isEmpty();
		assertThat(this.codec.verify("v1.%%%.###", this.now)).isEmpty();
		assertThat(this.codec.verify("v2.AAAA.BBBB", this.now)).isEmpty();
	}

	@Test
	void shortSecretsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TokenCodec("short"));
	}

}
