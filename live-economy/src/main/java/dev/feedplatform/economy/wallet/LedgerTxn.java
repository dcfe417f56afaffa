package dev.feedplatform.economy.wallet;

import java.util.List;

/**
 * One ledger transaction for {@link Ledger#postAll}: an event's legs, summing to zero.
 */
public record LedgerTxn(long txnId, String kind, String ref, List<Leg> legs) {
}
