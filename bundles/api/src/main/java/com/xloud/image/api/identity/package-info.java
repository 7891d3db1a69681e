/**
 * What the identity service knows beyond who a caller is: the {@link com.xloud.image.api.identity.ServiceCatalog}
 * of the caller's token (the REST bundle offers it in Keystone mode; there is none without Keystone).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.xloud.image.api.identity;
