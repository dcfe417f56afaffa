package dev.feedplatform.economy.recharge;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.error.Require;
import dev.feedplatform.economy.EconomySettings;
import dev.feedplatform.economy.wallet.Account;
import dev.feedplatform.economy.wallet.Leg;
import dev.feedplatform.economy.wallet.Ledger;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import dev.feedplatform.runtime.messaging.RocketMq;
import dev.feedplatform.runtime.retry.LockConflicts;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Recharge orders (seed 001, 充值服务). An order is stored PENDING before the provider is
 * asked, so a payment notice that overtakes the create call finds it; {@link #settle}
 * credits the user exactly once however often, late or early the notice comes (the order
 * row is locked, its status moves to PAID once, and the ledger's unique legs refuse a
 * second credit); an order never paid expires by a RocketMQ message delayed by
 * {@code recharge-expire-after}, with a sweep as the safety net. A notice for an order
 * that expired still credits it: the provider has the money.
 */
@Component
public class Recharges {

	private static final Logger log = LoggerFactory.getLogger(Recharges.class);

	static final String EXPIRY_TOPIC = "economy-recharge-expiry";

	static final long MAX_AMOUNT = 1_000_000;

	/** An order as its owner sees it. */
	record OrderView(String id, long amount, String status) {
	}

	private final RechargeMapper orders;

	private final Ledger ledger;

	private final LeasedIdGenerator ids;

	private final PaymentProvider provider;

	private final RocketMq rocketMq;

	private final EconomySettings settings;

	private final TransactionTemplate tx;

	/**
	 * A notice's credit can lose a deadlock to a concurrent one on the same ledger
	 * accounts (found by the flash-sale test's funding loop): it rolled back whole, so it
	 * runs again.
	 */
	private final LockConflicts lockConflicts;

	Recharges(RechargeMapper orders, Ledger ledger, LeasedIdGenerator ids, PaymentProvider provider, RocketMq rocketMq,
			EconomySettings settings, TransactionTemplate tx, LockConflicts lockConflicts) {
		this.lockConflicts = lockConflicts;
		this.orders = orders;
		this.ledger = ledger;
		this.ids = ids;
		this.provider = provider;
		this.rocketMq = rocketMq;
		this.settings = settings;
		this.tx = tx;
	}

	OrderView create(long userId, Long amount, String idempotencyKey) {
		String key = Require.present(Require.idempotencyKey(idempotencyKey, "idempotency_key"), "idempotency_key");
		if (amount == null || amount < 1 || amount > MAX_AMOUNT) {
			throw Problem.badRequest("amount must be a whole number of coins between 1 and " + MAX_AMOUNT);
		}
		RechargeMapper.Order order = this.orders.byKey(userId, key);
		if (order == null) {
			long id = this.ids.next();
			try {
				this.orders.insert(id, userId, amount, key);
				order = this.orders.find(id);
				scheduleExpiry(id);
			}
			catch (DuplicateKeyException race) {
				// a concurrent retry stored it first
				order = this.orders.byKey(userId, key);
			}
		}
		if (order.amount() != amount) {
			throw Problem.conflict("idempotency_key was already used for a recharge of " + order.amount());
		}
		if (order.status() == 0 && order.providerRef() == null) {
			// New, or a retry after the provider could not be reached: ask (again; the
			// provider
			// de-duplicates by the merchant order id).
			PaymentProvider.Charge charge = this.provider.charge(order.id(), userId, amount);
			this.orders.charged(order.id(), charge.reference());
			if (charge.paid()) {
				settle(order.id(), amount, charge.reference());
			}
			order = this.orders.find(order.id());
		}
		return view(order);
	}

	OrderView find(long orderId, long userId) {
		RechargeMapper.Order order = this.orders.find(orderId);
		if (order == null || order.userId() != userId) {
			throw Problem.notFound("no recharge order " + orderId);
		}
		return view(order);
	}

	/**
	 * The provider collected {@code amount} for the order: credits it once.
	 * @throws Problem 404 for an unknown order, 409 when the amount is not the order's
	 */
	void settle(long orderId, long amount, String providerRef) {
		this.lockConflicts.retry(() -> this.tx.execute(status -> {
			RechargeMapper.Order order = this.orders.lock(orderId);
			if (order == null) {
				throw Problem.notFound("no recharge order " + orderId);
			}
			if (order.amount() != amount) {
				throw Problem.conflict("order " + orderId + " is for " + order.amount() + " coins, not " + amount);
			}
			if (this.orders.markPaid(orderId, providerRef) == 0) {
				return null; // paid already: a repeated notice
			}
			if (order.status() == 2) {
				log.info("recharge {} was paid after it expired; crediting it", orderId);
			}
			this.ledger.post(orderId, "RECHARGE", "recharge:" + orderId,
					List.of(Leg.credit(order.userId(), Account.COINS, amount),
							Leg.debit(Account.PLATFORM, Account.PAYMENTS, amount)));
			return null;
		}));
	}

	/** Expires the order if it is still unpaid; true when it did. */
	boolean expire(long orderId) {
		return this.orders.expire(orderId) == 1;
	}

	/**
	 * Orders whose expiry message never came (the broker was down when they were
	 * created).
	 */
	List<Long> overdue() {
		return this.orders.stalePending(this.settings.rechargeExpireAfter().toSeconds() + 60, 500);
	}

	private void scheduleExpiry(long orderId) {
		this.rocketMq.sendTimer(EXPIRY_TOPIC, Long.toString(orderId), Long.toString(orderId),
				this.settings.rechargeExpireAfter().toMillis(), "recharge " + orderId + "'s expiry");
	}

	private static OrderView view(RechargeMapper.Order order) {
		String status = switch (order.status()) {
			case 1 -> "PAID";
			case 2 -> "EXPIRED";
			default -> "PENDING";
		};
		return new OrderView(Long.toString(order.id()), order.amount(), status);
	}

}
