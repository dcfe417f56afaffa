package dev.feedplatform.common.error;

/**
 * A failure that the client caused or must know about, answered as RFC 9457 problem
 * details with this status. Thrown anywhere; turned into {@code application/problem+json}
 * by the one web advice.
 */
public class Problem extends RuntimeException {

	private final int status;

	private final String title;

	public Problem(int status, String title, String detail) {
		super(detail, null, false, false); // no stack trace: these are answers, not bugs
		this.status = status;
		this.title = title;
	}

	public int status() {
		return this.status;
	}

	public String title() {
		return this.title;
	}

	public String detail() {
		return getMessage();
	}

	public static Problem badRequest(String detail) {
		return new Problem(400, "Bad Request", detail);
	}

	public static Problem unauthorized(String detail) {
		return new Problem(401, "Unauthorized", detail);
	}

	public static Problem forbidden(String detail) {
		return new Problem(403, "Forbidden", detail);
	}

	public static Problem notFound(String detail) {
		return new Problem(404, "Not Found", detail);
	}

	public static Problem conflict(String detail) {
		return new Problem(409, "Conflict", detail);
	}

	/**
	 * 410: the thing was there and is over (a red-packet rain that ended, a flash-sale
	 * order that expired).
	 */
	public static Problem gone(String detail) {
		return new Problem(410, "Gone", detail);
	}

	public static Problem tooLarge(String detail) {
		return new Problem(413, "Content Too Large", detail);
	}

	public static Problem tooManyRequests(String detail) {
		return new Problem(429, "Too Many Requests", detail);
	}

	public static Problem badGateway(String detail) {
		return new Problem(502, "Bad Gateway", detail);
	}

	public static Problem unavailable(String detail) {
		return new Problem(503, "Service Unavailable", detail);
	}

}
