package dev.feedplatform.user.account;

import java.time.Clock;
import java.util.regex.Pattern;

import dev.feedplatform.common.auth.TokenCodec;
import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.error.Require;
import dev.feedplatform.runtime.auth.AuthSettings;
import org.springframework.stereotype.Component;

/**
 * Phone + one-time code login: sends codes, checks them, creates the account on first
 * login.
 */
@Component
class LoggingIn {

	/** E.164-ish: optional +, 6 to 15 digits. Anything else can't receive an SMS. */
	private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{6,15}");

	/** Nicknames show in feeds and barrage; 50 characters keeps layouts sane. */
	static final int MAX_NICKNAME = 50;

	private final LoginCodes codes;

	private final SmsGateway sms;

	private final Accounts accounts;

	private final TokenCodec tokens;

	private final AuthSettings auth;

	private final LoginSettings settings;

	private final ModeratorSettings moderators;

	private final Clock clock;

	LoggingIn(LoginCodes codes, SmsGateway sms, Accounts accounts, TokenCodec tokens, AuthSettings auth,
			LoginSettings settings, ModeratorSettings moderators, Clock clock) {
		this.codes = codes;
		this.sms = sms;
		this.accounts = accounts;
		this.tokens = tokens;
		this.auth = auth;
		this.settings = settings;
		this.moderators = moderators;
		this.clock = clock;
	}

	void sendCode(String phone) {
		String valid = phone(phone);
		if (this.settings.fixedCode() != null) {
			return; // demo: the fixed code works and nothing is sent
		}
		String code = this.codes.issue(valid);
		try {
			this.sms.sendCode(valid, code);
		}
		catch (Problem ex) {
			this.codes.withdraw(valid);
			throw ex;
		}
	}

	LoggedIn login(String phone, String code, String nickname) {
		String valid = phone(phone);
		Require.text(code, "code", 12);
		String name = nickname == null || nickname.isBlank() ? defaultNickname(valid)
				: Require.maxLength(nickname.strip(), "nickname", MAX_NICKNAME);
		this.codes.check(valid, code);
		Account account = this.accounts.findOrCreate(valid, name);
		Viewer viewer = new Viewer(account.id(), this.moderators.isModerator(valid));
		String token = this.tokens.issue(viewer, this.clock.instant().plus(this.auth.tokenTtl()));
		return new LoggedIn(token, account.id());
	}

	private static String phone(String phone) {
		Require.text(phone, "phone", 16);
		if (!PHONE.matcher(phone).matches()) {
			throw Problem.badRequest("phone must be 6 to 15 digits, optionally with a leading +");
		}
		return phone;
	}

	private static String defaultNickname(String phone) {
		return "user" + phone.substring(Math.max(0, phone.length() - 4));
	}

	record LoggedIn(String token, long userId) {
	}

}
