/** Last-active tracking: decides which fans get pushed posts. */
package dev.feedplatform.user.activity;
