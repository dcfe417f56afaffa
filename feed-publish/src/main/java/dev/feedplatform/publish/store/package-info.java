/**
 * The {@code posts} rows: the one place with SQL on them ({@code Posts} for the module
 * itself) and the reads other modules get through runtime ports ({@code PostRows},
 * {@code PostLinks}, {@code PostGuard}). Every other package of the module depends on
 * this one, never the reverse (issue 20).
 */
package dev.feedplatform.publish.store;
