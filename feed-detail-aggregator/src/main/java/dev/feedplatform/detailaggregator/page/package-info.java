/**
 * The detail page: lease-cached post cores, the parallel assembly and its invalidation.
 */
package dev.feedplatform.detailaggregator.page;
