/**
 * The image cache SPI: a per-node cache of image data on local disk, registered by the cache
 * bundle as an {@link com.xloud.image.api.cache.ImageCache} service. The core consults it on
 * downloads and drives its prefetch queue; nothing else depends on it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package com.xloud.image.api.cache;
