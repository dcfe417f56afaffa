package dev.feedplatform.runtime.auth;

import java.io.IOException;
import java.security.Principal;
import java.time.Clock;
import java.util.Optional;

import dev.feedplatform.common.auth.TokenCodec;
import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.runtime.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every {@code /api} call except login needs a valid bearer token (API.md); the verified
 * {@link Viewer} is handed to controllers as a request attribute. The WebSocket handshake
 * passes the token as {@code ?token=} instead, since browsers can't set headers on it.
 */
public class BearerTokenFilter extends OncePerRequestFilter {

	/** Request attribute holding the {@link Viewer}. */
	public static final String VIEWER = BearerTokenFilter.class.getName() + ".viewer";

	/** The servlet role of a moderator's token on actuator endpoints. */
	public static final String MODERATOR_ROLE = "MODERATOR";

	private final TokenCodec tokens;

	private final Clock clock;

	public BearerTokenFilter(TokenCodec tokens, Clock clock) {
		this.tokens = tokens;
		this.clock = clock;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		boolean api = path.startsWith("/api/") || path.equals("/ws");
		// The payment provider's notices carry a body signature instead of a token (issue
		// 17).
		return !(api || path.startsWith("/actuator/")) || path.startsWith("/api/auth/")
				|| path.equals("/api/payments/callback");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (path.startsWith("/actuator/")) {
			chain.doFilter(asActuatorCaller(request), response);
			return;
		}
		String token = tokenOf(request);
		if (token == null) {
			ProblemWriter.write(response, request, 401, "Unauthorized", "missing bearer token");
			return;
		}
		Optional<Viewer> viewer = this.tokens.verify(token, this.clock.instant());
		if (viewer.isEmpty()) {
			ProblemWriter.write(response, request, 401, "Unauthorized", "invalid or expired token");
			return;
		}
		request.setAttribute(VIEWER, viewer.get());
		chain.doFilter(request, response);
	}

	/**
	 * The actuator needs no token, but a moderator's token makes the caller a principal
	 * in role {@value #MODERATOR_ROLE}: health shows its details only to them
	 * ({@code management.endpoint.health.show-details=when-authorized}).
	 */
	private HttpServletRequest asActuatorCaller(HttpServletRequest request) {
		String token = tokenOf(request);
		Optional<Viewer> viewer = token == null ? Optional.empty() : this.tokens.verify(token, this.clock.instant());
		if (viewer.isEmpty()) {
			return request;
		}
		Viewer caller = viewer.get();
		Principal principal = () -> Long.toString(caller.userId());
		return new HttpServletRequestWrapper(request) {

			@Override
			public Principal getUserPrincipal() {
				return principal;
			}

			@Override
			public boolean isUserInRole(String role) {
				return caller.moderator() && MODERATOR_ROLE.equals(role);
			}

		};
	}

	private static String tokenOf(HttpServletRequest request) {
		String header = request.getHeader("Authorization");
		if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return header.substring(7).trim();
		}
		if (request.getRequestURI().endsWith("/ws")) {
			return request.getParameter("token");
		}
		return null;
	}

}
