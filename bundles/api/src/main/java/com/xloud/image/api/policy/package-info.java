/**
 * Authorization as services other bundles ask: the policy check (oslo.policy's rules, Glance's
 * defaults) and the property protections.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package com.xloud.image.api.policy;
