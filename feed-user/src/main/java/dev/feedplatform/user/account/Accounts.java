package dev.feedplatform.user.account;

import java.util.Optional;

import dev.feedplatform.runtime.id.LeasedIdGenerator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Accounts in MariaDB, the source of truth. */
@Repository
class Accounts {

	private final JdbcClient db;

	private final LeasedIdGenerator ids;

	Accounts(JdbcClient db, LeasedIdGenerator ids) {
		this.db = db;
		this.ids = ids;
	}

	Optional<Account> byPhone(String phone) {
		return this.db.sql("SELECT id, phone, nickname FROM users WHERE phone = ?")
			.param(phone)
			.query((rs, n) -> new Account(rs.getLong(1), rs.getString(2), rs.getString(3)))
			.optional();
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
		this.db.sql("INSERT IGNORE INTO users (id, phone, nickname) VALUES (?, ?, ?)")
			.params(this.ids.next(), phone, nickname)
			.update();
		return byPhone(phone).orElseThrow();
	}

}
