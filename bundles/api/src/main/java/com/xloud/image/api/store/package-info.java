/**
 * The storage SPI: one {@link com.xloud.image.api.store.ImageStore} service per configured store.
 * A store bundle depends on this package only; it never sees the registry, the events or the REST layer.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("3.0.0")
package com.xloud.image.api.store;
