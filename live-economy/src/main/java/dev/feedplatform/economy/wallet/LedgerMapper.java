package dev.feedplatform.economy.wallet;

import java.time.LocalDateTime;
import java.util.List;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** {@code wallets} and {@code ledger_entries}: written only through {@link Ledger}. */
@Mapper
interface LedgerMapper {

	/** A leg as stored. */
	record Row(long id, long txnId, long owner, String account, long amount, String kind, String ref) {
	}

	/** A leg as a user's wallet shows it. */
	record Entry(long id, long amount, String kind, String ref, LocalDateTime createdAt) {
	}

	/** A wallet row. */
	record Balances(long balance, long earnings) {
	}

	@Insert("""
			<script>INSERT INTO ledger_entries (id, txn_id, account_owner, account, amount, kind, ref) VALUES
			<foreach collection='rows' item='r' separator=','>(#{r.id}, #{r.txnId}, #{r.owner}, #{r.account}, #{r.amount}, #{r.kind}, #{r.ref})</foreach>
			</script>""")
	void insert(@Param("rows") List<Row> rows);

	/**
	 * Takes coins only if the account holds them; 0 rows means it doesn't (or has no
	 * wallet).
	 */
	@Update("UPDATE wallets SET balance = balance - #{amount} WHERE user_id = #{user} AND balance >= #{amount}")
	int debitBalance(@Param("user") long user, @Param("amount") long amount);

	@Update("UPDATE wallets SET earnings = earnings - #{amount} WHERE user_id = #{user} AND earnings >= #{amount}")
	int debitEarnings(@Param("user") long user, @Param("amount") long amount);

	@Insert("INSERT INTO wallets (user_id, balance) VALUES (#{user}, #{amount}) ON DUPLICATE KEY UPDATE balance = balance + #{amount}")
	void creditBalance(@Param("user") long user, @Param("amount") long amount);

	@Insert("INSERT INTO wallets (user_id, earnings) VALUES (#{user}, #{amount}) ON DUPLICATE KEY UPDATE earnings = earnings + #{amount}")
	void creditEarnings(@Param("user") long user, @Param("amount") long amount);

	@Select("SELECT balance, earnings FROM wallets WHERE user_id = #{user}")
	Balances balances(@Param("user") long user);

	@Select("""
			<script>SELECT id, amount, kind, ref, created_at FROM ledger_entries
			WHERE account_owner = #{user} AND account IN ('COINS', 'EARNINGS')
			<if test='below != null'>AND id &lt; #{below}</if>
			ORDER BY id DESC LIMIT #{limit}</script>""")
	List<Entry> entries(@Param("user") long user, @Param("below") Long below, @Param("limit") int limit);

}
