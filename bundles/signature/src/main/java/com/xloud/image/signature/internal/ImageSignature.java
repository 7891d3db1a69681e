package com.xloud.image.signature.internal;

import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.signature.CertificateSource;
import com.xloud.image.api.upload.UploadRefusedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Glance's image signature verification (cursive): when an image has all four
 * {@code img_signature*} properties, its data must carry a valid signature by the key of the
 * certificate named: RSA-PSS (MGF1, largest salt), DSA or ECDSA over SHA-224/256/384/512. The
 * verifier is built before any data is read (bad properties or a missing certificate: 400 at
 * once), fed while the data streams, and asked at the end. Certificates come from the
 * {@link CertificateSource} services in their order (a folder of this bundle's, a key manager).
 * Beyond Glance, certificates can be validated too: validity dates and a chain to trusted CAs.
 */
final class ImageSignature {
    static final String SIGNATURE = "img_signature";
    static final String HASH = "img_signature_hash_method";
    static final String KEY_TYPE = "img_signature_key_type";
    static final String CERTIFICATE = "img_signature_certificate_uuid";
    /** Glance's hash method names, which are also the JDK's digest names. */
    private static final Set<String> HASHES = Set.of("SHA-224", "SHA-256", "SHA-384", "SHA-512");
    private static final Map<String, Integer> CURVES = Map.of("ECC_SECP384R1", 384, "ECC_SECP521R1", 521,
            "ECC_SECP256R1", 256);

    /** How certificates are checked (beyond Glance): validity dates, and a chain to the CAs of a folder. */
    record Settings(boolean validate, Path trustedCaDir) {
    }

    private final Signature verifier;
    private final byte[] expected;

    private ImageSignature(Signature verifier, byte[] expected) {
        this.verifier = verifier;
        this.expected = expected;
    }

    /** The verifier an image's properties ask for, or null when it is not signed (not all four properties). */
    static ImageSignature of(Map<String, String> properties, RequestContext caller, Settings settings,
                             Supplier<List<CertificateSource>> sources) throws UploadRefusedException {
        String sig = properties.get(SIGNATURE);
        String hash = properties.get(HASH);
        String keyType = properties.get(KEY_TYPE);
        String uuid = properties.get(CERTIFICATE);
        if (sig == null || hash == null || keyType == null || uuid == null) {
            return null;
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(sig.strip());
        } catch (IllegalArgumentException e) {
            throw refuse("img_signature is not base64");
        }
        String digest = hash;
        if (!HASHES.contains(digest)) {
            throw refuse("img_signature_hash_method " + hash + " is not one of " + new java.util.TreeSet<>(HASHES));
        }
        X509Certificate cert = certificate(uuid, caller, settings, sources);
        PublicKey key = cert.getPublicKey();
        try {
            Signature s;
            switch (keyType) {
                case "RSA-PSS" -> {
                    if (!(key instanceof RSAPublicKey rsa)) {
                        throw refuse("the certificate's key is " + key.getAlgorithm() + ", not the RSA key RSA-PSS needs");
                    }
                    int emLen = (rsa.getModulus().bitLength() - 1 + 7) / 8;
                    s = Signature.getInstance("RSASSA-PSS");
                    s.setParameter(new PSSParameterSpec(digest, "MGF1", new MGF1ParameterSpec(digest),
                            emLen - Integer.parseInt(digest.substring(4)) / 8 - 2, 1));
                }
                case "DSA" -> {
                    if (!(key instanceof DSAPublicKey)) {
                        throw refuse("the certificate's key is " + key.getAlgorithm() + ", not a DSA key");
                    }
                    s = Signature.getInstance(digest.replace("-", "") + "withDSA");
                }
                default -> {
                    Integer bits = CURVES.get(keyType);
                    if (bits == null) {
                        throw refuse("img_signature_key_type " + keyType + " is not one of RSA-PSS, DSA, "
                                + String.join(", ", CURVES.keySet()) + " (binary curves such as ECC_SECT571K1 are not"
                                + " supported by this platform)");
                    }
                    if (!(key instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != bits) {
                        throw refuse("the certificate's key does not match key type " + keyType);
                    }
                    s = Signature.getInstance(digest.replace("-", "") + "withECDSA");
                }
            }
            s.initVerify(key);
            return new ImageSignature(s, signature);
        } catch (GeneralSecurityException e) {
            throw refuse("the signature cannot be checked with this certificate: " + e.getMessage());
        }
    }

    private static X509Certificate certificate(String uuid, RequestContext caller, Settings settings,
                                               Supplier<List<CertificateSource>> sources)
            throws UploadRefusedException {
        if (!uuid.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            throw refuse("img_signature_certificate_uuid " + uuid + " is not a UUID");
        }
        X509Certificate cert = null;
        for (CertificateSource source : sources.get()) {
            Optional<X509Certificate> found;
            try {
                found = source.certificate(uuid, caller);
            } catch (RuntimeException e) {
                throw refuse(e.getMessage());
            }
            if (found.isPresent()) {
                cert = found.get();
                break;
            }
        }
        if (cert == null) {
            throw refuse("the certificate " + uuid + " cannot be found");
        }
        if (settings.validate()) {
            validate(cert, settings.trustedCaDir());
        }
        return cert;
    }

    /** Beyond Glance: the certificate is within its validity dates and chains to a trusted CA. */
    private static void validate(X509Certificate cert, Path trusted) throws UploadRefusedException {
        try {
            cert.checkValidity();
        } catch (GeneralSecurityException e) {
            throw refuse("the certificate is not valid now: " + e.getMessage());
        }
        if (trusted == null) {
            return;
        }
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            try (var files = Files.list(trusted)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    try (InputStream in = Files.newInputStream(f)) {
                        for (var c : cf.generateCertificates(in)) {
                            anchors.add(new TrustAnchor((X509Certificate) c, null));
                        }
                    }
                }
            }
            if (anchors.isEmpty()) {
                throw refuse("no trusted CA certificate is configured");
            }
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(List.of(cert)), params);
        } catch (IOException | GeneralSecurityException e) {
            throw refuse("the certificate does not chain to a trusted CA: " + e.getMessage());
        }
    }

    /** Glance's words and status (400) for every refusal. */
    private static UploadRefusedException refuse(String why) {
        return new UploadRefusedException("Signature verification failed: " + why, 400);
    }

    /** {@code in} as it is read, fed to the verifier. */
    InputStream feed(InputStream in) {
        return new com.xloud.image.api.store.ChunkFilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    try {
                        verifier.update(b, off, n);
                    } catch (SignatureException e) {
                        throw new IOException(e);
                    }
                }
                return n;
            }
        };
    }

    /** A refusal (400) when the data read does not match the signature. */
    void verify() throws UploadRefusedException {
        boolean ok;
        try {
            ok = verifier.verify(expected);
        } catch (SignatureException e) {
            throw refuse("the signature is malformed: " + e.getMessage());
        }
        if (!ok) {
            throw refuse("the image data does not match its signature");
        }
    }
}
