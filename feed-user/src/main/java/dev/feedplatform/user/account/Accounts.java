package dev.feedplatform.user.account;

import java.util.Optional;

import dev.feedplatform.runtime.id.LeasedIdGenerator;
import org.springframework.stereotype.Repository;

/** Accounts in MariaDB, the source of truth. */
@Repository
class Accounts {

	private final AccountMapper db;

	private final LeasedIdGenerator ids;

	Accounts(AccountMapper db, LeasedIdGenerator ids) {
		this.db = db;
		this.ids = ids;
	}

	Optional<Account> byPhone(String phone) {
		return Optional.ofNullable(this.db.byPhone(phone));
	}

	/**
	 * The account for a phone, created on first login. Two first logins racing on two
	 * instances both end with the one row the unique phone key lets in.
	 */
	Account findOrCreate(String phone, String nickname) {
		Optional<Account> existing = byPhone(phone);
		if (existing.isPresent()) {
			return existing.get();
		}
		this.db.insert(this.ids.next(), phone, nickname);
		return byPhone(phone).orElseThrow();
	}

}
