package dev.feedplatform.common.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Bearer tokens that any app instance verifies without a store round trip: an HMAC-SHA256
 * over (user id, expiry, flags) with a secret every instance shares. Stateless tokens
 * keep the per request cost at one MAC and let instances scale out; the price is that
 * revocation waits for expiry, which is why the lifetime is a setting.
 *
 * <p>
 * Wire form: {@code v1.<base64url(payload)>.<base64url(mac)>}, payload = 8 bytes user id,
 * 8 bytes expiry (epoch seconds), 1 byte flags.
 */
public final class TokenCodec {

	private static final String VERSION = "v1";

	private static final int FLAG_MODERATOR = 1;

	/** Shorter secrets make brute-forcing the MAC key practical. */
	public static final int MIN_SECRET_BYTES = 32;

	private final SecretKeySpec key;

	public TokenCodec(String secret) {
		byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
		if (bytes.length < MIN_SECRET_BYTES) {
			throw new IllegalArgumentException("token secret must be at least " + MIN_SECRET_BYTES + " bytes");
		}
		this.key = new SecretKeySpec(bytes, "HmacSHA256");
	}

	public String issue(Viewer viewer, Instant expiresAt) {
		ByteBuffer payload = ByteBuffer.allocate(17);
		payload.putLong(viewer.userId())
			.putLong(expiresAt.getEpochSecond())
			.put((byte) (viewer.moderator() ? FLAG_MODERATOR : 0));
		Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
		String body = VERSION + "." + b64.encodeToString(payload.array());
		return body + "." + b64.encodeToString(mac(body));
	}

	/**
	 * The viewer, if the token is well formed, signed by us and not expired at
	 * {@code now}.
	 */
	public Optional<Viewer> verify(String token, Instant now) {
		if (token == null || token.length() > 200) {
			return Optional.empty();
		}
		int second = token.lastIndexOf('.');
		if (!token.startsWith(VERSION + ".") || second <= VERSION.length()) {
			return Optional.empty();
		}
		String body = token.substring(0, second);
		try {
			byte[] given = Base64.getUrlDecoder().decode(token.substring(second + 1));
			if (!MessageDigest.isEqual(given, mac(body))) {
				return Optional.empty();
			}
			ByteBuffer payload = ByteBuffer.wrap(Base64.getUrlDecoder().decode(body.substring(VERSION.length() + 1)));
			if (payload.remaining() != 17) {
				return Optional.empty();
			}
			long userId = payload.getLong();
			long expires = payload.getLong();
			byte flags = payload.get();
			if (now.getEpochSecond() >= expires) {
				return Optional.empty();
			}
			return Optional.of(new Viewer(userId, (flags & FLAG_MODERATOR) != 0));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	private byte[] mac(String body) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 unavailable", ex);
		}
	}

}
