/**
 * The {@code posts} rows: the one place in the publish module with SQL on them ({@code Posts}),
 * and the reads other modules get through runtime ports (post links, the writability guard). Every
 * other package of the module depends on this one, never the reverse (issue 20).
 */
package dev.feedplatform.publish.store;
