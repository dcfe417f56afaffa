/** Bearer-token authentication shared by every module's API. */
package dev.feedplatform.runtime.auth;
