package dev.feedplatform.runtime.messaging;

import dev.feedplatform.common.events.FollowChanged;
import dev.feedplatform.common.events.PostChanged;
import dev.feedplatform.common.events.PostRetracted;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The events' one wire format: records to JSON and back, text from before the switch
 * still read, an older or newer shape of the same event still read, anything else refused
 * as malformed.
 */
class EventJsonTests {

	@Test
	void theSharedEventsSurviveTheWire() {
		PostRetracted retracted = new PostRetracted(7, 3);
		FollowChanged followed = new FollowChanged(5, 6, true);
		assertThat(EventJson.encode(retracted)).isEqualTo("{\"postId\":7,\"authorId\":3}");
		assertThat(EventJson.decode(EventJson.encode(retracted), PostRetracted.class, PostRetracted::fromText))
			.isEqualTo(retracted);
		assertThat(EventJson.decode(EventJson.encode(followed), FollowChanged.class, FollowChanged::fromText))
			.isEqualTo(followed);
		assertThat(EventJson.decode(EventJson.encode(new PostChanged(9)), PostChanged.class, PostChanged::fromText))
			.isEqualTo(new PostChanged(9));
	}

	@Test
	void textFromBeforeTheSwitchIsStillRead() {
		assertThat(EventJson.decode("v1|7|3", PostRetracted.class, PostRetracted::fromText))
			.isEqualTo(new PostRetracted(7, 3));
		assertThat(EventJson.decode("v1|5|6|0", FollowChanged.class, FollowChanged::fromText))
			.isEqualTo(new FollowChanged(5, 6, false));
		assertThat(EventJson.decode("v1|9", PostChanged.class, PostChanged::fromText)).isEqualTo(new PostChanged(9));
	}

	@Test
	void aFieldAddedLaterOrDroppedSinceDoesNotBreakTheReader() {
		// A newer emitter's extra field is ignored; an older one's missing field reads as
		// its default.
		assertThat(EventJson.decode("{\"postId\":7,\"authorId\":3,\"reason\":\"spam\"}", PostRetracted.class, null))
			.isEqualTo(new PostRetracted(7, 3));
		assertThat(EventJson.decode("{\"followerId\":5,\"followeeId\":6}", FollowChanged.class, null))
			.isEqualTo(new FollowChanged(5, 6, false));
	}

	@Test
	void anythingElseIsRefusedAsMalformed() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventJson.decode("{\"postId\":\"seven\"}", PostRetracted.class, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventJson.decode("{\"postId\":7", PostRetracted.class, null));
		assertThatIllegalArgumentException().isThrownBy(() -> EventJson.decode("v1|7|3", PostRetracted.class, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventJson.decode("v2|7|3", PostRetracted.class, PostRetracted::fromText));
	}

}
