package dev.feedplatform.testsupport;

import java.util.List;

import com.jayway.jsonpath.JsonPath;

/** An HTTP answer with JSON-path access to its body. */
public record Reply(int status, String contentType, String body) {

	public <T> T json(String path) {
		return JsonPath.read(this.body, path);
	}

	public String string(String path) {
		Object value = json(path);
		return value == null ? null : value.toString();
	}

	public long number(String path) {
		return ((Number) json(path)).longValue();
	}

	public List<String> strings(String path) {
		return JsonPath.read(this.body, path);
	}

	public boolean isProblem() {
		return this.contentType.startsWith("application/problem+json");
	}

	@Override
	public String toString() {
		return this.status + " " + this.body;
	}

}
