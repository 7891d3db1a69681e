/**
 * The HTTP face of the service: Jersey resources for Glance's Image API v2, served by a Jetty
 * server this bundle starts on the configured loopback address. Depends on the api bundle only;
 * never on the core's internals, the registry or a store.
 */
package com.xloud.image.rest.internal;
