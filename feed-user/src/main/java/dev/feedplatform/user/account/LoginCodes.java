package dev.feedplatform.user.account;

import java.security.SecureRandom;
import java.util.List;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.keys.RedisKeys;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * One-time login codes in Redis, shared by every app instance. A code expires on its own
 * (TTL), dies after {@link LoginSettings#maxAttempts()} wrong guesses, and is consumed by
 * the first correct use, so it can't log in twice.
 */
@Component
class LoginCodes {

	/**
	 * 6 digits: with the attempt limit, guessing is hopeless; still easy to type from an
	 * SMS.
	 */
	private static final int DIGITS = 6;

	// KEYS: code, attempts (same {phone} tag). ARGV: given code, max attempts, ttl ms.
	// Returns 1 = accepted (code consumed), 0 = wrong, -1 = no code (expired or never
	// sent), -2 = too many tries.
	private static final RedisScript<Long> CHECK = RedisScript.of("""
			local code = redis.call('GET', KEYS[1])
			if not code then return -1 end
			if code == ARGV[1] then
			  redis.call('DEL', KEYS[1], KEYS[2])
			  return 1
			end
			local tries = redis.call('INCR', KEYS[2])
			redis.call('PEXPIRE', KEYS[2], ARGV[3])
			if tries >= tonumber(ARGV[2]) then
			  redis.call('DEL', KEYS[1], KEYS[2])
			  return -2
			end
			return 0""", Long.class);

	private final StringRedisTemplate redis;

	private final LoginSettings settings;

	private final SecureRandom random = new SecureRandom();

	LoginCodes(StringRedisTemplate redis, LoginSettings settings) {
		this.redis = redis;
		this.settings = settings;
	}

	/** A fresh code for the phone, or 429 if one was sent within {@code resendAfter}. */
	String issue(String phone) {
		Boolean first = this.redis.opsForValue()
			.setIfAbsent(RedisKeys.loginThrottle(phone), "1", this.settings.resendAfter());
		if (!Boolean.TRUE.equals(first)) {
			throw Problem.tooManyRequests("a code was sent to this phone recently; wait before asking again");
		}
		String code = String.format("%0" + DIGITS + "d", this.random.nextInt((int) Math.pow(10, DIGITS)));
		this.redis.opsForValue().set(RedisKeys.loginCode(phone), code, this.settings.codeTtl());
		this.redis.delete(RedisKeys.loginAttempts(phone));
		return code;
	}

	/** Forgets a code that could not be delivered, so the user may ask again at once. */
	void withdraw(String phone) {
		this.redis.delete(List.of(RedisKeys.loginCode(phone), RedisKeys.loginThrottle(phone)));
	}

	void check(String phone, String code) {
		if (this.settings.fixedCode() != null && this.settings.fixedCode().equals(code)) {
			return;
		}
		Long result = this.redis.execute(CHECK, List.of(RedisKeys.loginCode(phone), RedisKeys.loginAttempts(phone)),
				code, Integer.toString(this.settings.maxAttempts()), Long.toString(this.settings.codeTtl().toMillis()));
		switch (result == null ? -1 : result.intValue()) {
			case 1 -> {
			}
			case 0 -> throw Problem.unauthorized("wrong code");
			case -2 -> throw Problem.unauthorized("too many wrong codes; ask for a new one");
			// With a fixed code (the demo) no code is ever sent: "never sent" would
			// mislead (issue 22).
			default -> throw Problem.unauthorized(this.settings.fixedCode() != null
					? "wrong code; this server accepts its fixed code (GET /api/auth/hint)"
					: "no valid code for this phone: it expired or was never sent");
		}
	}

}
