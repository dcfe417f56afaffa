package dev.feedplatform.liveroombridge.gateway;

import java.util.Map;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.runtime.auth.BearerTokenFilter;
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
 * connections cost no thread (NIO), and the bearer-token filter has already refused a handshake
 * without a valid {@code ?token=} (401) before this runs.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
@EnableScheduling
@EnableConfigurationProperties(GatewaySettings.class)
class GatewayConfiguration implements WebSocketConfigurer {

	/**
	 * The container's own hard limit (characters): twice {@code max-frame-chars}, so a frame somewhat
	 * over the limit is answered with an error frame, while a far larger one is closed by the
	 * container (1009). Tomcat allocates this buffer up front for every session: at 64 K it was
	 * 128 KiB of heap per viewer, a quarter of a gigabyte per 2,000 viewers.
	 */
	static final int CONTAINER_MAX_FRAME_BYTES = 8 * 1024;

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
		container.setMaxTextMessageBufferSize(CONTAINER_MAX_FRAME_BYTES);
		container.setMaxSessionIdleTimeout(settings.idleTimeout().toMillis());
		return container;
	}

	/** Hands the viewer the token filter verified to the WebSocket session. */
	static final class ViewerFromFilter implements HandshakeInterceptor {

		@Override
		public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
				Map<String, Object> attributes) {
			if (request instanceof ServletServerHttpRequest servlet
					&& servlet.getServletRequest().getAttribute(BearerTokenFilter.VIEWER) instanceof Viewer viewer) {
				attributes.put(ServletEndpoint.VIEWER, viewer);
				return true;
			}
			return false;
		}

		@Override
		public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler, Exception exception) {
		}

	}

}
