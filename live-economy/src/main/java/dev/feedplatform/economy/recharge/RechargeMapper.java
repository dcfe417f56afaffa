package dev.feedplatform.economy.recharge;

import java.util.List;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** {@code recharge_orders}. */
@Mapper
interface RechargeMapper {

	/** An order row; status 0 PENDING, 1 PAID, 2 EXPIRED. */
	record Order(long id, long userId, long amount, int status, String idemKey, String providerRef) {
	}

	String COLUMNS = "id, user_id, amount, status, idem_key, provider_ref";

	@Insert("INSERT INTO recharge_orders (id, user_id, amount, idem_key) VALUES (#{id}, #{user}, #{amount}, #{key})")
	void insert(@Param("id") long id, @Param("user") long user, @Param("amount") long amount, @Param("key") String key);

	@Select("SELECT " + COLUMNS + " FROM recharge_orders WHERE user_id = #{user} AND idem_key = #{key}")
	Order byKey(@Param("user") long user, @Param("key") String key);

	@Select("SELECT " + COLUMNS + " FROM recharge_orders WHERE id = #{id}")
	Order find(@Param("id") long id);

	/**
	 * The row, locked until the transaction ends: a payment notice and an expiry take
	 * turns.
	 */
	@Select("SELECT " + COLUMNS + " FROM recharge_orders WHERE id = #{id} FOR UPDATE")
	Order lock(@Param("id") long id);

	@Update("UPDATE recharge_orders SET status = 1, provider_ref = #{ref}, settled_at = CURRENT_TIMESTAMP(3) WHERE id = #{id} AND status <> 1")
	int markPaid(@Param("id") long id, @Param("ref") String providerRef);

	@Update("UPDATE recharge_orders SET status = 2, settled_at = CURRENT_TIMESTAMP(3) WHERE id = #{id} AND status = 0")
	int expire(@Param("id") long id);

	@Update("UPDATE recharge_orders SET provider_ref = #{ref} WHERE id = #{id} AND provider_ref IS NULL")
	void charged(@Param("id") long id, @Param("ref") String providerRef);

	/**
	 * Pending orders created before {@code seconds} ago: the expiry messages' safety net.
	 */
	@Select("SELECT id FROM recharge_orders WHERE status = 0 AND created_at < CURRENT_TIMESTAMP(3) - INTERVAL #{seconds} SECOND ORDER BY created_at LIMIT #{limit}")
	List<Long> stalePending(@Param("seconds") long seconds, @Param("limit") int limit);

}
