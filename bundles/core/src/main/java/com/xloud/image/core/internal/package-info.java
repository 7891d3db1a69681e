/**
 * The image use cases behind {@link com.xloud.image.api.images.ImageService}: Axon configured
 * without Spring, the image aggregate (in {@code aggregate}), its commands (in {@code command}),
 * the upload and download flows and Glance's access rules. Depends on the api bundle, the
 * registry's API package and Axon; never on the REST layer or a particular store.
 */
package com.xloud.image.core.internal;
