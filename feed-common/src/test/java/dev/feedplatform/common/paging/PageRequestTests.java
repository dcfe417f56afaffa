package dev.feedplatform.common.paging;

import java.util.List;

import dev.feedplatform.common.error.Problem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageRequestTests {

	@Test
	void defaultsToTwentyFromTheNewest() {
		PageRequest page = PageRequest.of(null, null);
		assertThat(page.size()).isEqualTo(20);
		assertThat(page.lastId()).isNull();
		assertThat(page.below()).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void capsLargeSizesAndRefusesSmallOnes() {
		assertThat(PageRequest.of(null, "500").size()).isEqualTo(100);
		assertThatThrownBy(() -> PageRequest.of(null, "0")).isInstanceOf(Problem.class)
			.extracting("status")
			.isEqualTo(400);
		assertThatThrownBy(() -> PageRequest.of(null, "x")).isInstanceOf(Problem.class);
		assertThatThrownBy(() -> PageRequest.of("abc", null)).isInstanceOf(Problem.class);
		assertThatThrownBy(() -> PageRequest.of("-3", null)).isInstanceOf(Problem.class);
	}

	@Test
	void anOverfetchedExtraItemOnlySignalsMore() {
		Page<Long> page = Page.fromOverfetch(List.of(9L, 8L, 7L), 2, id -> id);
		assertThat(page.items()).containsExactly(9L, 8L);
		assertThat(page.lastId()).isEqualTo("8");
		assertThat(page.hasMore()).isTrue();
		Page<Long> last = Page.fromOverfetch(List.of(9L), 2, id -> id);
		assertThat(last.hasMore()).isFalse();
		assertThat(Page.<Long>fromOverfetch(List.of(), 2, id -> id).lastId()).isNull();
	}

}
