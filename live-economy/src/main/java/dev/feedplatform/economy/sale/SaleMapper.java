package dev.feedplatform.economy.sale;

import java.time.LocalDateTime;
import java.util.List;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * {@code goods}, {@code room_shelves}, {@code sale_orders} and {@code sale_order_lines}:
 * written only by this package.
 */
@Mapper
interface SaleMapper {

	/** An item for sale; {@code status} 0 PENDING, 1 APPROVED. */
	record Item(long id, long sellerId, String name, long price, int stock, int sold, int stockLeft, int perUserLimit,
			int status) {
	}

	/** A pre-order; {@code status} 0 HELD, 1 PAID, 2 EXPIRED. */
	record Order(long id, long buyerId, long roomId, long sellerId, long amount, int status, int settled,
			LocalDateTime payBy, String idemKey, String dropped) {
	}

	record Line(long orderId, long goodsId, int quantity, long price) {
	}

	/** A buyer's units of an item in orders that hold or bought them. */
	record Bought(long buyerId, int quantity) {
	}

	/** A HELD order's hold on an item: who, under which key, how many. */
	record Hold(long buyerId, String idemKey, int quantity) {
	}

	@Insert("""
			INSERT INTO goods (id, seller_id, name, price, stock, stock_left, per_user_limit)
			VALUES (#{g.id}, #{g.sellerId}, #{g.name}, #{g.price}, #{g.stock}, #{g.stock}, #{g.perUserLimit})""")
	void insertItem(@Param("g") Item item);

	String ITEM = "id, seller_id, name, price, stock, sold, stock_left, per_user_limit, status";

	@Select("SELECT " + ITEM + " FROM goods WHERE id = #{id}")
	Item item(@Param("id") long id);

	@Update("UPDATE goods SET status = 1 WHERE id = #{id}")
	int approve(@Param("id") long id);

	@Insert("INSERT IGNORE INTO room_shelves (room_id, goods_id) VALUES (#{room}, #{goods})")
	void shelve(@Param("room") long room, @Param("goods") long goods);

	@Select("SELECT COUNT(*) > 0 FROM room_shelves WHERE room_id = #{room} AND goods_id = #{goods}")
	boolean onShelf(@Param("room") long room, @Param("goods") long goods);

	@Select("SELECT g." + "id, g.seller_id, g.name, g.price, g.stock, g.sold, g.stock_left, g.per_user_limit, g.status"
			+ " FROM room_shelves s JOIN goods g ON g.id = s.goods_id WHERE s.room_id = #{room} ORDER BY s.created_at, g.id")
	List<Item> shelf(@Param("room") long room);

	@Select("SELECT DISTINCT goods_id FROM room_shelves")
	List<Long> shelved();

	@Update("UPDATE goods SET stock_left = #{left} WHERE id = #{id} AND stock_left <> #{left}")
	void syncLeft(@Param("id") long id, @Param("left") int left);

	/**
	 * Counts units sold only while they fit the stock: MariaDB's own guard against
	 * overselling (0 rows: they don't).
	 */
	@Update("UPDATE goods SET sold = sold + #{quantity} WHERE id = #{id} AND sold + #{quantity} <= stock")
	int sell(@Param("id") long id, @Param("quantity") int quantity);

	/**
	 * Units of the item held by HELD orders, per hold: what a rebuilt Redis holds again.
	 */
	@Select("""
			SELECT o.buyer_id, o.idem_key, l.quantity FROM sale_order_lines l JOIN sale_orders o ON o.id = l.order_id
			WHERE l.goods_id = #{goods} AND o.status = 0""")
	List<Hold> holds(@Param("goods") long goods);

	/**
	 * Units of the item each buyer holds or bought: what counts against the per-user
	 * limit.
	 */
	@Select("""
			SELECT o.buyer_id, SUM(l.quantity) AS quantity FROM sale_order_lines l JOIN sale_orders o ON o.id = l.order_id
			WHERE l.goods_id = #{goods} AND o.status IN (0, 1) GROUP BY o.buyer_id""")
	List<Bought> bought(@Param("goods") long goods);

	@Insert("""
			INSERT INTO sale_orders (id, buyer_id, room_id, seller_id, amount, pay_by, idem_key, dropped)
			VALUES (#{o.id}, #{o.buyerId}, #{o.roomId}, #{o.sellerId}, #{o.amount}, #{o.payBy}, #{o.idemKey}, #{o.dropped})""")
	void insertOrder(@Param("o") Order order);

	@Insert("""
			<script>INSERT INTO sale_order_lines (order_id, goods_id, quantity, price) VALUES
			<foreach collection='lines' item='l' separator=','>(#{l.orderId}, #{l.goodsId}, #{l.quantity}, #{l.price})</foreach></script>""")
	void insertLines(@Param("lines") List<Line> lines);

	String ORDER = "id, buyer_id, room_id, seller_id, amount, status, settled, pay_by, idem_key, dropped";

	@Select("SELECT " + ORDER + " FROM sale_orders WHERE id = #{id}")
	Order order(@Param("id") long id);

	@Select("SELECT " + ORDER + " FROM sale_orders WHERE id = #{id} FOR UPDATE")
	Order lockOrder(@Param("id") long id);

	@Select("SELECT " + ORDER + " FROM sale_orders WHERE buyer_id = #{buyer} AND idem_key = #{key}")
	Order byKey(@Param("buyer") long buyer, @Param("key") String key);

	@Select("SELECT order_id, goods_id, quantity, price FROM sale_order_lines WHERE order_id = #{order} ORDER BY goods_id")
	List<Line> lines(@Param("order") long order);

	@Update("UPDATE sale_orders SET status = 1 WHERE id = #{id} AND status = 0")
	int paid(@Param("id") long id);

	/** HELD → EXPIRED once its time is up: 1 for the call that expired it. */
	@Update("UPDATE sale_orders SET status = 2 WHERE id = #{id} AND status = 0 AND pay_by <= #{now}")
	int expire(@Param("id") long id, @Param("now") LocalDateTime now);

	/**
	 * HELD → EXPIRED at once, its time cut to now (an order whose units went to another
	 * buyer before it was answered): 1 when it did.
	 */
	@Update("UPDATE sale_orders SET status = 2, pay_by = #{now} WHERE id = #{id} AND status = 0")
	int voidHeld(@Param("id") long id, @Param("now") LocalDateTime now);

	@Update("UPDATE sale_orders SET settled = 1 WHERE id = #{id}")
	void settled(@Param("id") long id);

	@Select("SELECT id FROM sale_orders WHERE status = 0 AND pay_by <= #{now} ORDER BY pay_by LIMIT #{limit}")
	List<Long> overdue(@Param("now") LocalDateTime now, @Param("limit") int limit);

	/**
	 * Paid or expired orders whose holds Redis was not told about (a crash in between).
	 */
	@Select("SELECT id FROM sale_orders WHERE settled = 0 AND status IN (1, 2) LIMIT #{limit}")
	List<Long> unsettled(@Param("limit") int limit);

}
