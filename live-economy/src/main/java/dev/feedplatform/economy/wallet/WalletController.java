package dev.feedplatform.economy.wallet;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.feedplatform.economy.Times;
import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.paging.Page;
import dev.feedplatform.common.paging.PageRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/wallet} and {@code GET /api/wallet/entries} (API.md "Wallet and
 * payments").
 */
@RestController
class WalletController {

	/** Coins: {@code balance} to spend, {@code earnings} received as an anchor. */
	record WalletView(long balance, long earnings) {
	}

	/** One of my ledger legs; {@code amount} signed, {@code created_at} ISO-8601 UTC. */
	record EntryView(String id, long amount, String kind, String ref, @JsonProperty("created_at") String createdAt) {
	}

	private final LedgerMapper mapper;

	WalletController(LedgerMapper mapper) {
		this.mapper = mapper;
	}

	@GetMapping("/api/wallet")
	WalletView wallet(Viewer viewer) {
		LedgerMapper.Balances balances = this.mapper.balances(viewer.userId());
		return balances == null ? new WalletView(0, 0) : new WalletView(balances.balance(), balances.earnings());
	}

	@GetMapping("/api/wallet/entries")
	Page<EntryView> entries(@RequestParam(name = "last_id", required = false) String lastId,
			@RequestParam(required = false) String size, Viewer viewer) {
		PageRequest page = PageRequest.of(lastId, size);
		List<LedgerMapper.Entry> rows = this.mapper.entries(viewer.userId(), page.lastId(), page.size() + 1);
		List<EntryView> views = rows.stream()
			.map(e -> new EntryView(Long.toString(e.id()), e.amount(), e.kind(), e.ref(), Times.iso(e.createdAt())))
			.toList();
		return Page.fromOverfetch(views, page.size(), v -> Long.parseLong(v.id()));
	}

}
