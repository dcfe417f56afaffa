package dev.feedplatform.runtime.auth;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;

import dev.feedplatform.common.auth.TokenCodec;
import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.runtime.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every {@code /api} call except login needs a valid bearer token (API.md); the verified
 * {@link Viewer} is handed to controllers as a request attribute. The WebSocket handshake passes
 * the token as {@code ?token=} instead, since browsers can't set headers on it.
 */
public class BearerTokenFilter extends OncePerRequestFilter {

	/** Request attribute holding the {@link Viewer}. */
	public static final String VIEWER = BearerTokenFilter.class.getName() + ".viewer";

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
		return !api || path.startsWith("/api/auth/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
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
