package dev.feedplatform.liveroombridge.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.runtime.auth.BearerTokenFilter;
import dev.feedplatform.runtime.web.ProblemWriter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/**
 * {@code /ws} on the application's own port, served by Tomcat's WebSocket container: idle
 * connections cost no thread (NIO), and the bearer-token filter has already refused a
 * handshake without a valid {@code ?token=} (401) before this runs.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
@EnableScheduling
@EnableConfigurationProperties(GatewaySettings.class)
class GatewayConfiguration implements WebSocketConfigurer {

	/**
	 * Tomcat's own hard limit, in characters (UTF-16 units): a little over
	 * {@code max-frame-chars}, so a frame somewhat over that limit is answered with an
	 * error frame (413), while a far larger one is closed by the container (1009). It
	 * must take a chat of 10,000 characters written as {@code \\uXXXX} escapes (60,000
	 * units). Tomcat allocates this buffer up front for every session (128 KiB of heap
	 * per connection at this size): the gateway's Netty port, where viewers belong,
	 * allocates nothing per connection; this one is for clients that only know the app's
	 * port.
	 */
	static final int CONTAINER_MAX_FRAME_CHARS = 64 * 1024;

	/**
	 * The Netty port's hard limit in bytes: a chat of 10,000 characters, escaped (60,000
	 * bytes) or four bytes each (40,000), and its envelope fit; a larger frame is closed
	 * with 1009.
	 */
	static final int CONTAINER_MAX_FRAME_BYTES = 64 * 1024;

	private final ServletEndpoint handler;

	GatewayConfiguration(ServletEndpoint handler) {
		this.handler = handler;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(this.handler, "/ws").addInterceptors(new ViewerFromFilter()).setAllowedOriginPatterns("*");
	}

	@Bean
	ServletServerContainerFactoryBean webSocketContainer(GatewaySettings settings) {
		ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
		container.setMaxTextMessageBufferSize(CONTAINER_MAX_FRAME_CHARS);
		container.setMaxSessionIdleTimeout(settings.idleTimeout().toMillis());
		return container;
	}

	/** Hands the viewer the token filter verified to the WebSocket session. */
	static final class ViewerFromFilter implements HandshakeInterceptor {

		@Override
		public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
				WebSocketHandler wsHandler, Map<String, Object> attributes) {
			if (request instanceof ServletServerHttpRequest servlet
					&& servlet.getServletRequest().getAttribute(BearerTokenFilter.VIEWER) instanceof Viewer viewer) {
				String device = servlet.getServletRequest().getParameter("device");
				if (device != null && !DeviceIds.valid(device)) {
					response.setStatusCode(HttpStatus.BAD_REQUEST);
					response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
					try {
						response.getBody()
							.write(ProblemWriter.body(400, "Bad Request", DeviceIds.RULE, "/ws")
								.getBytes(StandardCharsets.UTF_8));
					}
					catch (IOException ex) {
						// the status alone says it
					}
					return false;
				}
				attributes.put(ServletEndpoint.VIEWER, viewer);
				if (device != null) {
					attributes.put(ServletEndpoint.DEVICE, device);
				}
				return true;
			}
			return false;
		}

		@Override
		public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
				Exception exception) {
		}

	}

}
