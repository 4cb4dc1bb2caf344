/**
 * What callers of the Hetzner Cloud client see: immutable records of servers, images, actions, SSH
 * keys, server types and locations, plus request records and query options.
 *
 * <p>Fields that the API documents as nullable are nullable here too (boxed types or references);
 * helpers such as {@link dev.goldsmith.hcloud.model.PublicNet#ipv6HostAddress()} return {@link
 * java.util.Optional}.
 */
package dev.goldsmith.hcloud.model;
