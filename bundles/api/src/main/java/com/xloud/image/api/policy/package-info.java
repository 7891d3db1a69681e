/** The policy check (oslo.policy's rules, Glance's defaults) as a service other bundles ask. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.xloud.image.api.policy;
