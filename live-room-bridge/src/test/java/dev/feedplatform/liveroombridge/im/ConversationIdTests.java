package dev.feedplatform.liveroombridge.im;

import dev.feedplatform.common.error.Problem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConversationIdTests {

	@Test
	void aDirectConversationHasOneIdWhicheverSideStartsIt() {
		assertThat(ConversationId.direct(7, 3)).isEqualTo(ConversationId.direct(3, 7));
		assertThat(ConversationId.direct(7, 3).value()).isEqualTo("d:3:7");
		assertThat(ConversationId.parse("d:3:7").peerOf(3)).isEqualTo(7);
		assertThat(ConversationId.parse("d:3:7").hasSide(5)).isFalse();
		assertThat(ConversationId.parse("g:42").groupId()).isEqualTo(42);
	}

	@Test
	void anythingElseIsABadRequest() {
		for (String bad : new String[] { null, "", "d:7:3", "d:3:3", "d:3", "d:x:7", "g:", "g:-1", "x:1", "d:1:2:3",
				"g:" + "9".repeat(60) }) {
			assertThatThrownBy(() -> ConversationId.parse(bad)).isInstanceOf(Problem.class)
				.satisfies(p -> assertThat(((Problem) p).status()).isEqualTo(400));
		}
	}

}
