/**
 * The paid side of a live room (seed {@code 001_*}, 直播平台; issues 17 and 18): a wallet per
 * user over a double-entry ledger in MariaDB, recharge through a payment provider, gifts
 * with their effects broadcast to the room, and anchor PK. RocketMQ carries a gift from
 * its debit to its effects (broadcast, leaderboard, PK bar, the anchor's credit), as the
 * seed does; Redis holds the live views (leaderboards, PK bars) that can be rebuilt from
 * the ledger.
 */
package dev.feedplatform.economy;
