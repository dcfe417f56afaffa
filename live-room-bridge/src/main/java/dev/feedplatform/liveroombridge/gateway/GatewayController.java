package dev.feedplatform.liveroombridge.gateway;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.feedplatform.common.auth.Viewer;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/gateway}: where a client opens its WebSocket. The gateway's own port is
 * not the application's, so clients ask instead of hard-coding it: {@code url} is the
 * gateway port (or the configured public URL), {@code fallback} is {@code /ws} on the
 * address the client just called.
 */
@RestController
class GatewayController {

	private final GatewaySettings settings;

	private final NettyGateway gateway;

	GatewayController(GatewaySettings settings, NettyGateway gateway) {
		this.settings = settings;
		this.gateway = gateway;
	}

	@GetMapping("/api/gateway")
	Map<String, Object> where(HttpServletRequest request, Viewer viewer) {
		String scheme = request.isSecure() ? "wss" : "ws";
		String fallback = scheme + "://" + host(request) + ":" + request.getServerPort() + "/ws";
		Map<String, Object> answer = new LinkedHashMap<>();
		if (!this.settings.publicUrl().isBlank()) {
			answer.put("url", this.settings.publicUrl());
		}
		else if (this.gateway.port() > 0) {
			answer.put("url", scheme + "://" + host(request) + ":" + this.gateway.port() + "/ws");
		}
		else {
			answer.put("url", fallback); // the gateway port is off on this node
		}
		answer.put("fallback", fallback);
		return answer;
	}

	/**
	 * The host the client called (IPv6 literals bracketed), not this node's own idea of
	 * its name.
	 */
	private static String host(HttpServletRequest request) {
		String host = request.getServerName();
		return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
	}

}
