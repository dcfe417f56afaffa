/** User profiles as the API shows them, cached in Redis. */
package dev.feedplatform.user.profile;
