/** The assembled application. */
package dev.feedplatform.app;
