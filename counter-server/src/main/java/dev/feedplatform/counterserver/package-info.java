/** Write-merged counters: likes, views, favorites, shares, comments. Built in a later issue. */
package dev.feedplatform.counterserver;
