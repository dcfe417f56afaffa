package dev.feedplatform.common.events;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FanOutBatchTests {

	@Test
	void anOccasionalBatchSurvivesTheWireAndAFullOneKeepsTheOldShape() {
		FanOutBatch occasional = new FanOutBatch(7, 3, 1_000, new long[] { 11, 12 }, true);
		FanOutBatch full = new FanOutBatch(7, 3, 1_000, new long[] { 11, 12 });
		assertThat(FanOutBatch.decode(occasional.encode())).isEqualTo(occasional);
		assertThat(FanOutBatch.decode(full.encode())).isEqualTo(full);
		// A batch written before the flag existed reads as a full one.
		assertThat(full.encode()).isEqualTo("v1|7|3|1000|11,12");
		assertThat(FanOutBatch.decode("v1|7|3|1000|11,12").occasional()).isFalse();
		assertThat(occasional.encode()).isEqualTo("v1|7|3|1000|11,12|o");
	}

	@Test
	void anotherShapeIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> FanOutBatch.decode("v1|7|3|1000|11,12|x"));
		assertThatIllegalArgumentException().isThrownBy(() -> FanOutBatch.decode("v2|7|3|1000|11,12"));
	}

}
