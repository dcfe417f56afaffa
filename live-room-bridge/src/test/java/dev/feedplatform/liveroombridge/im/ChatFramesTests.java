package dev.feedplatform.liveroombridge.im;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written frames are valid JSON with the contract's fields, whatever the text
 * holds.
 */
class ChatFramesTests {

	final JsonMapper json = JsonMapper.builder().build();

	final ChatFrames frames = new ChatFrames(this.json);

	@Test
	void aChatFrameCarriesAnyTextExactly() {
		String text = "quote \" backslash \\ newline \n tab \t control \u0001 emoji \uD83D\uDE00 中文";
		StoredMessage message = new StoredMessage(123456789012345L, "d:1:2", 7, 1, text, 1700000000000L, "phone", 3);
		JsonNode chat = this.json.readTree(this.frames.chat(message));
		assertThat(chat.path("type").asString()).isEqualTo("chat");
		assertThat(chat.path("msg_id").asString()).isEqualTo("123456789012345");
		assertThat(chat.path("conversation").asString()).isEqualTo("d:1:2");
		assertThat(chat.path("seq").asLong()).isEqualTo(7);
		assertThat(chat.path("from").asString()).isEqualTo("1");
		assertThat(chat.path("text").asString()).isEqualTo(text);
		assertThat(chat.path("ts").asLong()).isEqualTo(1700000000000L);
		JsonNode sent = this.json.readTree(this.frames.sent(3, message));
		assertThat(sent.path("type").asString()).isEqualTo("sent");
		assertThat(sent.path("client_seq").asLong()).isEqualTo(3);
		assertThat(sent.path("msg_id").asString()).isEqualTo("123456789012345");
		assertThat(sent.path("seq").asLong()).isEqualTo(7);
	}

}
