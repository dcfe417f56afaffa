package dev.feedplatform.runtime.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error report as RFC 9457 problem details instead of its HTML page (issue 15):
 * what Tomcat answers itself before any servlet runs — an encoded {@code /}, {@code \} or
 * {@code %00} in the path, a request line or headers over the limit, a negative
 * {@code Content-Length} — and any error response nothing else wrote a body for.
 * Installed as the host's error report valve by {@link TomcatProblemPages}.
 */
public class ProblemReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		HttpStatus known = HttpStatus.resolve(status);
		String title = known != null ? known.getReasonPhrase() : "Error";
		String detail = status >= 500 ? "the request could not be served"
				: "the request could not be read: " + title.toLowerCase();
		String uri = safe(request.getRequestURI());
		try {
			response.setContentType("application/problem+json");
			response.setCharacterEncoding(StandardCharsets.UTF_8.name());
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(ProblemWriter.body(status, title, detail, uri));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client is gone, or the response already committed: nothing more to say
		}
	}

	private static String safe(String uri) {
		return uri == null ? "" : uri.replaceAll("[^\\x21-\\x7e]", "?");
	}

}
