package dev.feedplatform.runtime.web;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.error.Problem;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where failures become RFC 9457 problem details. Spring MVC's own
 * exceptions (unreadable JSON, wrong parameter types, missing parameters, unknown routes,
 * wrong methods) keep their 4xx statuses through {@link ResponseEntityExceptionHandler};
 * {@link Problem}s carry their own status; anything else is a defect, logged and answered
 * 500 without internals.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

	/** Seconds a client is asked to wait before retrying a 503 ({@code Retry-After}). */
	static final int RETRY_AFTER_SECONDS = 2;

	@ExceptionHandler(Problem.class)
	ResponseEntity<ProblemDetail> problem(Problem problem, HttpServletRequest request) {
		return answer(problem.status(), problem.title(), problem.detail(), request);
	}

	/**
	 * A body that broke a limit while being read arrives wrapped by the JSON reader: keep
	 * its status.
	 */
	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof Problem problem) {
				ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(problem.status()),
						problem.detail());
				body.setTitle(problem.title());
				return ResponseEntity.status(problem.status())
					.contentType(MediaType.APPLICATION_PROBLEM_JSON)
					.body(body);
			}
		}
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, unreadable(ex));
		body.setTitle("Bad Request");
		return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
	}

	/**
	 * What was wrong with the body, in the client's terms: a value of the wrong type
	 * names its field and the type expected ({@code "media: expected an array"}; issue
	 * 22), anything else is malformed JSON.
	 */
	static String unreadable(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof tools.jackson.databind.exc.UnrecognizedPropertyException unknown) {
				return field(unknown.getPath()) + ": unknown field";
			}
			if (t instanceof tools.jackson.databind.exc.MismatchedInputException mismatch) {
				return field(mismatch.getPath()) + ": expected " + expected(mismatch.getTargetType());
			}
		}
		return "malformed or unreadable JSON body";
	}

	private static String field(java.util.List<tools.jackson.core.JacksonException.Reference> path) {
		StringBuilder out = new StringBuilder();
		for (tools.jackson.core.JacksonException.Reference step : path) {
			if (step.getPropertyName() != null) {
				out.append(out.isEmpty() ? "" : ".").append(step.getPropertyName());
			}
			else if (step.getIndex() >= 0) {
				out.append('[').append(step.getIndex()).append(']');
			}
		}
		return out.isEmpty() ? "body" : out.toString();
	}

	private static String expected(Class<?> type) {
		if (type == null) {
			return "another type";
		}
		if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
			return "an array";
		}
		if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
			return "a string";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != char.class)) {
			return type == Double.class || type == double.class || type == Float.class || type == float.class
					? "a number" : "an integer";
		}
		return "an object";
	}

	/**
	 * No controller has the path (and no static file does): say so in the API's words,
	 * not Spring's "No static resource …" (issue 22).
	 */
	@Override
	protected ResponseEntity<Object> handleNoResourceFoundException(
			org.springframework.web.servlet.resource.NoResourceFoundException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		// The request's own path: getResourcePath() is relative to the matching resource
		// handler.
		String path = request instanceof org.springframework.web.context.request.ServletWebRequest servlet
				? servlet.getRequest().getRequestURI() : "/" + ex.getResourcePath();
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"no such route: " + ex.getHttpMethod() + " " + path);
		body.setTitle("Not Found");
		body.setInstance(URI.create(path));
		return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
	}

	/**
	 * A query string Tomcat could not decode (a malformed {@code %} escape, bytes that
	 * aren't UTF-8): it raises this when a parameter is first read, inside argument
	 * resolution (issue 15).
	 */
	@ExceptionHandler(InvalidParameterException.class)
	ResponseEntity<ProblemDetail> undecodableQuery(InvalidParameterException ex, HttpServletRequest request) {
		return answer(400, "Bad Request", "the query string is not valid percent-encoded UTF-8", request);
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ResponseEntity<ProblemDetail> illegalArgument(IllegalArgumentException ex, HttpServletRequest request) {
		return answer(400, "Bad Request", ex.getMessage(), request);
	}

	/**
	 * Lock contention, deadlock victims, timeouts: the client's retry may well succeed,
	 * so 503, not 500.
	 */
	@ExceptionHandler(TransientDataAccessException.class)
	ResponseEntity<ProblemDetail> transientFailure(TransientDataAccessException ex, HttpServletRequest request) {
		log.warn("transient store failure on {} {}: {}", request.getMethod(), request.getRequestURI(), ex.toString());
		return answer(503, "Service Unavailable", "a store is busy; try again", request);
	}

	/**
	 * A store or the broker unreachable (connection refused or reset, a pool with no
	 * connection in time, a command timeout, Redis still loading): an outage a retry may
	 * outlive, so 503 with {@code Retry-After}, never 500 (issue 14). Recognised anywhere
	 * in the cause chain, since clients wrap them differently (Spring's DAO exceptions,
	 * Lettuce, MariaDB, RocketMQ).
	 */
	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> unexpected(Exception ex, HttpServletRequest request) {
		String outage = Outages.describe(ex);
		if (outage != null) {
			log.warn("outage on {} {}: {}", request.getMethod(), request.getRequestURI(), outage);
			return answer(503, "Service Unavailable", "a store or the message broker is unavailable; try again",
					request);
		}
		log.error("unhandled failure on {} {}", request.getMethod(), request.getRequestURI(), ex);
		return answer(500, "Internal Server Error", "unexpected failure; it has been logged", request);
	}

	static ResponseEntity<ProblemDetail> answer(int status, String title, String detail, HttpServletRequest request) {
		return answer(status, title, detail, URI.create(request.getRequestURI()));
	}

	/**
	 * The one shape of an error answer: problem details, and {@code Retry-After} on a
	 * 503.
	 */
	static ResponseEntity<ProblemDetail> answer(int status, String title, String detail, URI instance) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
		body.setTitle(title != null ? title : HttpStatus.valueOf(status).getReasonPhrase());
		if (instance != null) {
			body.setInstance(instance);
		}
		ResponseEntity.BodyBuilder builder = ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (status == 503) {
			builder.header(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
		}
		return builder.body(body);
	}

}
