/** The user context: accounts, login, profiles, the follow graph and activity. */
package dev.feedplatform.user;
