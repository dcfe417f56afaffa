package dev.feedplatform.liveroombridge.barrage;

import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * This bridge node's id ({@code feed.gateway.node-id}, random unless set): its name in
 * presence and routing.
 */
@Component
public class BridgeNode {

	private final String id;

	BridgeNode(@Value("${feed.gateway.node-id:}") String configured) {
		this.id = configured == null || configured.isBlank() ? UUID.randomUUID().toString() : configured;
	}

	public String id() {
		return this.id;
	}

}
