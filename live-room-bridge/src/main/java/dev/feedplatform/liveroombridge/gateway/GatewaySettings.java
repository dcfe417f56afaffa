package dev.feedplatform.liveroombridge.gateway;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * WebSocket gateway settings ({@code feed.gateway.*}).
 *
 * @param maxFrameChars largest text frame answered normally, in UTF-16 units; larger ones
 * get an error frame (413). It admits a chat of 10,000 characters (API.md's limit)
 * however the client writes them: outside the BMP, or each escaped as {@code \\uXXXX} (6
 * units, as Python's {@code json.dumps} does by default).
 * @param idleTimeout a connection with no frame (a ping counts) for this long is closed
 * @param sendBufferBytes per-connection send queue; a viewer this far behind is dropped
 * rather than slowing its room
 * @param sendTimeLimit a send blocked this long drops the viewer too
 * @param framesPerSecond sustained frames a connection may send; {@code burst} more at
 * once
 * @param burst frames a connection may send at once above the sustained rate
 * @param presenceTtl how long a connection counts as present after its last heartbeat;
 * connections of a node that died age out within it
 * @param port the gateway's own WebSocket port (Netty), serving {@code /ws} like the
 * application port does; 0 lets the system choose (tests), a negative port turns it off
 * @param bindAddress the address that port binds
 * @param eventLoops the gateway's event loops; 0 means one per core
 * @param socketSendBuffer the kernel send buffer of each gateway connection in bytes (64
 * KiB); 0 leaves it to the kernel's autotuning, up to megabytes, which a viewer that
 * stops reading fills before the gateway's own bound is reached: it was dropped only
 * after ~53 s with 2.8 MB queued (issue 14)
 * @param publicUrl the WebSocket URL clients are given ({@code GET /api/gateway}) when
 * they reach the gateway through a load balancer or another name; empty: this node's
 * gateway port on the host the client called
 * @param maxConnectionsPerUser WebSocket connections one user may hold at once, over all
 * nodes (devices, tabs); one more is answered with an error frame (429) and closed (This
 * node's id is {@code feed.gateway.node-id}, read by {@code BridgeNode}.)
 */
@ConfigurationProperties("feed.gateway")
public record GatewaySettings(@DefaultValue("61000") int maxFrameChars, @DefaultValue("60s") Duration idleTimeout,
		@DefaultValue("65536") int sendBufferBytes, @DefaultValue("5s") Duration sendTimeLimit,
		@DefaultValue("20") int framesPerSecond, @DefaultValue("40") int burst,
		@DefaultValue("60s") Duration presenceTtl, @DefaultValue("-1") int port,
		@DefaultValue("0.0.0.0") String bindAddress, @DefaultValue("0") int eventLoops,
		@DefaultValue("65536") int socketSendBuffer, @DefaultValue("") String publicUrl,
		@DefaultValue("20") int maxConnectionsPerUser) {
}
