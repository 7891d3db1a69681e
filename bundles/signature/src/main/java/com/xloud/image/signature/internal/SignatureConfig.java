package com.xloud.image.signature.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/com.xloud.image.signature.cfg} (optional: without it, the defaults). */
@ObjectClassDefinition(name = "Xloud image signature verification")
@interface SignatureConfig {
    @AttributeDefinition(description = "folder of the certificates signed images name: <uuid>.pem, .der or .crt;"
            + " empty: <data dir>/certificates (other CertificateSource services, such as a key manager's, are asked"
            + " next)")
    String signature_certificate_dir() default "";

    @AttributeDefinition(description = "beyond Glance: refuse certificates outside their validity dates, and with"
            + " signature.trusted.ca.dir set, those that do not chain to one of its CAs")
    boolean signature_certificate_validation() default false;

    @AttributeDefinition(description = "folder of trusted CA certificates (PEM or DER) for the validation")
    String signature_trusted_ca_dir() default "";
}
