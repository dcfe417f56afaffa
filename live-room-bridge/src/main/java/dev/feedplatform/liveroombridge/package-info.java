/** Live rooms, WebSocket gateway, barrage, presence, cross-node routing. Built in a later issue. */
package dev.feedplatform.liveroombridge;
