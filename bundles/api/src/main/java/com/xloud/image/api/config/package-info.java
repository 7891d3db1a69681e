/** What bundles with a configuration of their own share: files watched for changes, a fatal configuration. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.xloud.image.api.config;
