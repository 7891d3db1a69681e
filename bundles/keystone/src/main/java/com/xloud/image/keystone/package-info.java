/** One Keystone v3 client for the bundles that talk to Keystone (the REST bundle's token checks and catalog, the Swift store). */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.xloud.image.keystone;
