/**
 * How a bundle brings its own routes: it registers a JAX-RS root resource as a {@link
 * com.xloud.image.api.rest.RestResource} service, and the REST bundle serves it (and stops serving it
 * when the service goes) beside the Image API, with the same authentication, error bodies and
 * request ids.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.xloud.image.api.rest;
