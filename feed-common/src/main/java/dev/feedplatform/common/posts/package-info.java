/** The post summary shape shared by every listing. */
package dev.feedplatform.common.posts;
