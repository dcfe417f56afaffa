/** Post detail page behind lease-based caching; moderation. Built in a later issue. */
package dev.feedplatform.detailaggregator;
