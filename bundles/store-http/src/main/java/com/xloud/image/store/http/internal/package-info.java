/**
 * The read-only http store: images whose data stays at an http(s) URL outside the service.
 * Depends on the api bundle's store SPI and the Jetty HTTP client only.
 */
package com.xloud.image.store.http.internal;
