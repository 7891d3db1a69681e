/** The disk cache behind the {@link com.xloud.image.api.cache.ImageCache} SPI. */
package com.xloud.image.cache.internal;
