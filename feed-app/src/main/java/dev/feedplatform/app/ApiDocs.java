package dev.feedplatform.app;

import dev.feedplatform.common.auth.Viewer;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP contract generated from the controllers (springdoc-openapi):
 * {@code GET /v3/api-docs} (JSON), {@code /swagger-ui.html} (browsable), both without a
 * token. The WebSocket frames, which OpenAPI can't describe, are in {@code docs/API.md};
 * {@code FeedApplicationIntegrationTests} checks that every route of the contract is in
 * the document (issue 22).
 */
@Configuration(proxyBeanMethods = false)
class ApiDocs {

	@Bean
	OpenAPI feedOpenApi() {
		// The caller comes from the bearer token (a resolved argument), not from a
		// request parameter.
		SpringDocUtils.getConfig().addRequestWrapperToIgnore(Viewer.class);
		return new OpenAPI().info(new Info().title("Feed platform")
			.version("1")
			.description(
					"Feeds, timelines, counters, detail pages, search, live rooms, chat, wallet, gifts, PK, red-packet rain "
							+ "and flash sale. Ids are JSON strings; errors are RFC 9457 problem details; pages carry last_id and has_more. "
							+ "WebSocket frames: docs/API.md in the repository."))
			.components(new Components().addSecuritySchemes("bearer",
					new SecurityScheme().type(SecurityScheme.Type.HTTP)
						.scheme("bearer")
						.description("the token from POST /api/auth/login")))
			.addSecurityItem(new SecurityRequirement().addList("bearer"));
	}

	/**
	 * Login and the payment provider's callback need no token: their operations say so.
	 */
	@Bean
	org.springdoc.core.customizers.OpenApiCustomizer publicRoutes() {
		return api -> api.getPaths().forEach((path, item) -> {
			if (path.startsWith("/api/auth/") || path.equals("/api/payments/callback")) {
				item.readOperations().forEach(operation -> operation.setSecurity(java.util.List.of()));
			}
		});
	}

}
