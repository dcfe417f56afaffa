/**
 * The detail pages each user opened (issue 19, seed 003: "see my view history"):
 * {@code view_history}, owned here.
 */
package dev.feedplatform.detailaggregator.history;
