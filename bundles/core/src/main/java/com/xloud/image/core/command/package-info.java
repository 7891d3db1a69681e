/** Commands to the image aggregate, imperative and immutable; sent through {@link com.xloud.image.core.kernel.Commands}. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.xloud.image.core.command;
