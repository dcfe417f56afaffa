package dev.feedplatform.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A keep-alive HTTP/1.1 client for the load generator, with just the JSON it needs. */
final class Http {

	private static final Pattern LAST_ID = Pattern.compile("\"last_id\"\\s*:\\s*\"(\\d+)\"");

	private static final Pattern FIRST_ID = Pattern
		.compile("\"items\"\\s*:\\s*\\[\\s*\\{\\s*\"id\"\\s*:\\s*\"(\\d+)\"");

	private static final Pattern ID = Pattern.compile("^\\{\\s*\"id\"\\s*:\\s*\"(\\d+)\"");

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String base;

	private final int port;

	Http(int port) {
		this.base = "http://127.0.0.1:" + port;
		this.port = port;
	}

	int port() {
		return this.port;
	}

	/**
	 * POSTs JSON (201 expected) and answers the first group of {@code pattern} in the
	 * body.
	 */
	String postJson(String path, String token, String json, String pattern) {
		Matcher m = Pattern.compile(pattern).matcher(post(path, token, json));
		if (!m.find()) {
			throw new IllegalStateException("no " + pattern + " in the answer to " + path);
		}
		return m.group(1);
	}

	String get(String path, String token) {
		return send(
				HttpRequest.newBuilder(URI.create(this.base + path)).header("Authorization", "Bearer " + token).GET(),
				200);
	}

	String post(String path, String token, String json) {
		return post(path, token, json, 201);
	}

	/**
	 * POSTs JSON ({@code null}: no body) and answers the body, failing unless the status
	 * is {@code expected}.
	 */
	String post(String path, String token, String json, int expected) {
		return send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)),
				expected);
	}

	void post204(String path, String token) {
		send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Authorization", "Bearer " + token)
			.POST(HttpRequest.BodyPublishers.noBody()), 204);
	}

	/** Just the status of a GET. */
	int status(String path, String token) {
		try {
			return this.client
				.send(HttpRequest.newBuilder(URI.create(this.base + path))
					.header("Authorization", "Bearer " + token)
					.GET()
					.timeout(Duration.ofSeconds(30))
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	void postAccepted(String path, String token) {
		send(HttpRequest.newBuilder(URI.create(this.base + path))
			.header("Authorization", "Bearer " + token)
			.POST(HttpRequest.BodyPublishers.noBody()), 202);
	}

	/** Publishes a post and answers its id. */
	long publish(String token, String title) {
		String body = post("/api/posts", token, "{\"type\":\"IMAGE\",\"title\":\"" + title
				+ "\",\"text\":\"benchmark\",\"media\":[\"https://cdn.example.com/b.jpg\"],\"cover\":\"https://cdn.example.com/b.jpg\"}");
		Matcher id = ID.matcher(body);
		if (!id.find()) {
			throw new IllegalStateException("no id in " + body);
		}
		return Long.parseLong(id.group(1));
	}

	static String lastId(String page) {
		Matcher m = LAST_ID.matcher(page);
		return m.find() ? m.group(1) : null;
	}

	static String firstId(String page) {
		Matcher m = FIRST_ID.matcher(page);
		return m.find() ? m.group(1) : null;
	}

	private String send(HttpRequest.Builder request, int expected) {
		try {
			HttpResponse<String> response = this.client.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != expected) {
				throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
