/**
 * Checks of image data on its way into a store: {@link com.xloud.image.api.upload.UploadFilter}
 * services (disk-format inspection and signature verification are two) see every upload and
 * import stream, in the order of their service ranking, and may refuse it or report attributes.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.xloud.image.api.upload;
