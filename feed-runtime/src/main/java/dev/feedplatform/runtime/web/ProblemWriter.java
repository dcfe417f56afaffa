package dev.feedplatform.runtime.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Writes a problem-details body from a servlet filter, where the MVC advice can't reach.
 */
public final class ProblemWriter {

	private ProblemWriter() {
	}

	public static void write(HttpServletResponse response, HttpServletRequest request, int status, String title,
			String detail) throws IOException {
		response.setStatus(status);
		response.setContentType("application/problem+json");
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter().write(body(status, title, detail, request.getRequestURI()));
	}

	/**
	 * The RFC 9457 body, for writers outside the servlet stack too (the Netty WebSocket
	 * gateway's handshake). No {@code type}: absent means {@code about:blank}, and
	 * Spring's {@code ProblemDetail} leaves it out too, so every problem body has one
	 * shape (issue 22).
	 */
	public static String body(int status, String title, String detail, String instance) {
		return "{\"title\":" + quote(title) + ",\"status\":" + status + ",\"detail\":" + quote(detail)
				+ ",\"instance\":" + quote(instance) + "}";
	}

	private static String quote(String s) {
		StringBuilder out = new StringBuilder("\"");
		for (char c : s.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"').toString();
	}

}
