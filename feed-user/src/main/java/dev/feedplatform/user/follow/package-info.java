/**
 * The follow graph: edges and counts in MariaDB, each reader's following set cached in
 * Redis.
 */
package dev.feedplatform.user.follow;
