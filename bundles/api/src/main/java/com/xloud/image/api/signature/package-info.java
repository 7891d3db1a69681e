/**
 * Where the certificates of signed images come from: {@link com.xloud.image.api.signature.CertificateSource}
 * services (a directory of certificates is built in; a key manager such as Barbican plugs in here).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package com.xloud.image.api.signature;
