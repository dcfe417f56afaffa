package dev.feedplatform.runtime.auth;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.error.Problem;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Lets controller methods take the calling {@link Viewer} as a plain parameter. */
class ViewerArgumentResolver implements HandlerMethodArgumentResolver {

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == Viewer.class;
	}

	@Override
	public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
			NativeWebRequest request, WebDataBinderFactory binderFactory) {
		Object viewer = request.getAttribute(BearerTokenFilter.VIEWER, RequestAttributes.SCOPE_REQUEST);
		if (viewer == null) {
			throw Problem.unauthorized("missing bearer token");
		}
		return viewer;
	}

}
