/**
 * Typed operations per resource. Every operation returns a Mutiny {@code Uni} and has a blocking
 * twin named {@code …AndAwait} for worker threads (never call those on a Vert.x event loop).
 */
package dev.goldsmith.hcloud.api;
