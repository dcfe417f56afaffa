package dev.feedplatform.publish.fanout;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FanOutSettingsTests {

	private static FanOutSettings tiers(String... tiers) {
		return new FanOutSettings(500, 8, Duration.ofSeconds(10), true, Duration.ofDays(1), List.of(tiers),
				Duration.ofMinutes(10), Duration.ofMinutes(2));
	}

	@Test
	void aBigAccountPushesToItsHighestTiersCoreFansAndToNoneBelowTheLowest() {
		// any order
		FanOutSettings settings = tiers("100000:5000", "10000:1000", "1000000:10000");
		assertThat(settings.coreFansFor(9_999)).isZero();
		assertThat(settings.coreFansFor(10_000)).isEqualTo(1_000);
		assertThat(settings.coreFansFor(99_999)).isEqualTo(1_000);
		assertThat(settings.coreFansFor(100_000)).isEqualTo(5_000);
		assertThat(settings.coreFansFor(50_000_000)).isEqualTo(10_000);
		assertThat(tiers().coreFansFor(50_000_000)).as("no tiers: pulled by all").isZero();
	}

	@Test
	void aMalformedTierFailsAtStartUp() {
		assertThatIllegalArgumentException().isThrownBy(() -> tiers("10000"));
		assertThatIllegalArgumentException().isThrownBy(() -> tiers("10000:-1"));
		assertThatIllegalArgumentException().isThrownBy(() -> tiers("many:1000"));
	}

}
