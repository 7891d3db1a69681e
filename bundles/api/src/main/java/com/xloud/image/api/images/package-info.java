/**
 * The image domain as the REST layer sees it: the read model, the services (lifecycle, data,
 * import, sharing, administration) and their errors.
 * Nothing here knows about HTTP, Axon or SQL.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("3.0.0")
package com.xloud.image.api.images;
