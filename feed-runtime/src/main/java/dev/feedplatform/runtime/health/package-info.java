/** Health statuses shared by the modules' health indicators. */
package dev.feedplatform.runtime.health;
