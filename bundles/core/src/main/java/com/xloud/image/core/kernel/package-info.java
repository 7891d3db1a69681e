/**
 * The image service's kernel for the bundles of its other use cases: {@link
 * com.xloud.image.core.kernel.Kernel}, a service of the core bundle, and the parts it hands out.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.xloud.image.core.kernel;
