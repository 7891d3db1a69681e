package com.xloud.image.api.signature;

import com.xloud.image.api.images.RequestContext;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Finds the X.509 certificate an image's {@code img_signature_certificate_uuid} names, on behalf
 * of the caller (a key manager answers with the caller's rights).
 */
public interface CertificateSource {

    /** The certificate, or empty when this source does not hold it. */
    Optional<X509Certificate> certificate(String uuid, RequestContext caller);
}
