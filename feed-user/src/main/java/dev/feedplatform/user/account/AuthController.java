package dev.feedplatform.user.account;

import java.util.Map;

import dev.feedplatform.common.error.Problem;
import org.springframework.web.bind.annotation.GetMapping;

import dev.feedplatform.user.profile.Profiles;
import dev.feedplatform.user.profile.UserView;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/auth}: the only API calls that need no token. */
@RestController
class AuthController {

	private final LoggingIn loggingIn;

	private final Profiles profiles;

	private final LoginSettings settings;

	AuthController(LoggingIn loggingIn, Profiles profiles, LoginSettings settings) {
		this.loggingIn = loggingIn;
		this.profiles = profiles;
		this.settings = settings;
	}

	/**
	 * The code a login form may show as a hint: only where a fixed code is configured
	 * (the demo profile, where no SMS is sent); 404 everywhere else (issue 16).
	 */
	@GetMapping("/api/auth/hint")
	Map<String, String> hint() {
		if (this.settings.fixedCode() == null || this.settings.fixedCode().isBlank()) {
			throw Problem.notFound("no login hint: codes are sent by SMS");
		}
		return Map.of("code", this.settings.fixedCode());
	}

	@PostMapping("/api/auth/code")
	@ResponseStatus(HttpStatus.ACCEPTED)
	void sendCode(@RequestBody CodeRequest request) {
		this.loggingIn.sendCode(request.phone());
	}

	@PostMapping("/api/auth/login")
	LoginAnswer login(@RequestBody LoginRequest request) {
		LoggingIn.LoggedIn in = this.loggingIn.login(request.phone(), request.code(), request.nickname());
		return new LoginAnswer(in.token(), this.profiles.view(in.userId(), in.userId()));
	}

	record CodeRequest(String phone) {
	}

	record LoginRequest(String phone, String code, String nickname) {
	}

	record LoginAnswer(String token, UserView user) {
	}

}
