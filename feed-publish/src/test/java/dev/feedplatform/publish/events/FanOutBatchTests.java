package dev.feedplatform.publish.events;

import dev.feedplatform.runtime.messaging.EventJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A fan-out batch on the wire: JSON both ways, and a text batch from before the switch
 * still read.
 */
class FanOutBatchTests {

	private static FanOutBatch read(String body) {
		return EventJson.decode(body, FanOutBatch.class, FanOutBatch::fromText);
	}

	@Test
	void aBatchSurvivesTheWireWithItsOccasionalFlag() {
		FanOutBatch occasional = new FanOutBatch(7, 3, 1_000, new long[] { 11, 12 }, true);
		FanOutBatch full = new FanOutBatch(7, 3, 1_000, new long[] { 11, 12 });
		assertThat(read(EventJson.encode(occasional))).isEqualTo(occasional);
		assertThat(read(EventJson.encode(full))).isEqualTo(full);
		assertThat(EventJson.encode(full)).startsWith("{").contains("\"fans\":[11,12]");
	}

	@Test
	void aBatchSentAsTextBeforeTheSwitchIsStillRead() {
		assertThat(read("v1|7|3|1000|11,12")).isEqualTo(new FanOutBatch(7, 3, 1_000, new long[] { 11, 12 }));
		assertThat(read("v1|7|3|1000|11,12|o")).isEqualTo(new FanOutBatch(7, 3, 1_000, new long[] { 11, 12 }, true));
	}

	@Test
	void anotherShapeIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> read("v1|7|3|1000|11,12|x"));
		assertThatIllegalArgumentException().isThrownBy(() -> read("v2|7|3|1000|11,12"));
		assertThatIllegalArgumentException().isThrownBy(() -> read("{\"postId\":\"seven\"}"));
		assertThatIllegalArgumentException().isThrownBy(() -> read("{\"postId\":7"));
	}

}
