package dev.feedplatform.economy.gift;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import org.springframework.stereotype.Component;

/**
 * The gift catalogue ({@code gift_catalogue}, seeded by V13), read through a cache
 * refreshed every minute.
 */
@Component
class GiftCatalogue {

	private final LoadingCache<String, List<GiftMapper.Kind>> all;

	GiftCatalogue(GiftMapper mapper) {
		this.all = Caffeine.newBuilder().refreshAfterWrite(Duration.ofMinutes(1)).build(key -> mapper.catalogue());
	}

	List<GiftMapper.Kind> all() {
		return this.all.get("all");
	}

	Optional<GiftMapper.Kind> find(int id) {
		return all().stream().filter(kind -> kind.id() == id).findFirst();
	}

}
