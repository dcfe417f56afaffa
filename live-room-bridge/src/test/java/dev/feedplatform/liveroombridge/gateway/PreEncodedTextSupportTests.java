package dev.feedplatform.liveroombridge.gateway;

import org.apache.tomcat.websocket.PreEncodedText;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Tomcat split-package shim ({@code org.apache.tomcat.websocket.PreEncodedText},
 * issue 20): it links against the Tomcat this build ships, and where Tomcat's internals
 * are not what it was compiled against the gateway falls back to the standard
 * {@code sendText} instead of failing.
 */
class PreEncodedTextSupportTests {

	@Test
	void theShimLinksAgainstTheTomcatOfThisBuild() {
		assertThat(PreEncodedTextSupport.available()).isTrue();
		assertThat(PreEncodedTextSupport.links("org.apache.tomcat.websocket.WsRemoteEndpointImplBase",
				"org.apache.tomcat.websocket.WsRemoteEndpointBase"))
			.isTrue();
	}

	@Test
	void aTomcatWithoutThoseInternalsFallsBackInsteadOfFailing() {
		assertThat(PreEncodedTextSupport.links("org.apache.tomcat.websocket.NoSuchEndpoint",
				"org.apache.tomcat.websocket.WsRemoteEndpointBase"))
			.isFalse();
		// A class that exists but lacks the field: the shape changed.
		assertThat(
				PreEncodedTextSupport.links("org.apache.tomcat.websocket.WsRemoteEndpointImplBase", "java.lang.Object"))
			.isFalse();
	}

	@Test
	void onlyTomcatsOwnAsyncEndpointIsSentPreEncoded() {
		assertThat(PreEncodedText.supports(null)).isFalse();
	}

}
