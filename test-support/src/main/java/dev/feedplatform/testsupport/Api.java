package dev.feedplatform.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A plain HTTP client for end-to-end scenarios: real sockets against a running app, so
 * tests see exactly what clients see (status, content type, JSON body), filters and
 * advice included.
 */
public final class Api {

	/**
	 * HTTP/1.1 on purpose: the default makes the JDK client try an h2c upgrade on every
	 * new connection, which the app doesn't speak; under bursts of concurrent requests
	 * that left the shared client hanging (every later request timed out, the server
	 * idle).
	 */
	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String base;

	public Api(int port) {
		this("http://127.0.0.1:" + port);
	}

	public Api(String base) {
		this.base = base;
	}

	public Reply get(String path, String token) {
		return send("GET", path, token, null, null);
	}

	public Reply post(String path, String token, String json) {
		return send("POST", path, token, json, "application/json");
	}

	public Reply delete(String path, String token) {
		return send("DELETE", path, token, null, null);
	}

	/**
	 * A POST with extra headers, given as name, value, name, value... (an
	 * {@code Idempotency-Key}, say).
	 */
	public Reply post(String path, String token, String json, String... headers) {
		return send("POST", path, token, json, "application/json", headers);
	}

	/** Any method, body and content type: for bad-input tables. */
	public Reply send(String method, String path, String token, String body, String contentType, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(30));
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		request.method(method,
				body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		try {
			HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
					response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + path + " failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
