package dev.feedplatform.runtime.web;

import java.net.URI;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /error} as problem details (issue 15): errors raised outside Spring MVC's
 * handlers — in a filter, by the container ({@code TRACE}, a malformed query string), by
 * a failed forward — reach this instead of Spring Boot's default error JSON. A status the
 * container didn't set is a 500; that text never carries the exception.
 */
@RestController
public class ProblemErrorController implements ErrorController {

	@RequestMapping("/error")
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		int status = code instanceof Integer n && n >= 400 ? n : 500;
		HttpStatus known = HttpStatus.resolve(status);
		String detail = status >= 500 ? "unexpected failure; it has been logged" : "the request could not be served: "
				+ (known != null ? known.getReasonPhrase().toLowerCase() : "error");
		URI instance = null;
		if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String path) {
			try {
				instance = URI.create(path);
			}
			catch (IllegalArgumentException unparsable) {
				// leave it out
			}
		}
		return ProblemDetailsAdvice.answer(status, known != null ? known.getReasonPhrase() : "Error", detail, instance);
	}

}
