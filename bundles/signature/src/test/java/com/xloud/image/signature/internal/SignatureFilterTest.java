package com.xloud.image.signature.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.signature.CertificateSource;
import com.xloud.image.api.upload.UploadRefusedException;
import com.xloud.image.api.upload.UploadSubject;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the filter decides before a byte is read: unsigned images pass unchecked, bad signature
 * properties and certificates nobody has are refused with Glance's words and 400, and the
 * certificate sources are asked in the order of their ranking.
 */
class SignatureFilterTest {
    static final String UUID = "0f7c1a9e-5b1d-4a70-9d4e-5c6b1e2f3a09";
    static final RequestContext CALLER = new RequestContext("u", "p", List.of("member"), "req");

    static SignatureFilter filter() {
        return new SignatureFilter(new SignatureConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SignatureConfig.class;
            }

            @Override
            public String signature_certificate_dir() {
                return "";
            }

            @Override
            public boolean signature_certificate_validation() {
                return false;
            }

            @Override
            public String signature_trusted_ca_dir() {
                return "";
            }
        });
    }

    static UploadSubject signed(Map<String, String> changes) {
        Map<String, String> p = new HashMap<>(Map.of("img_signature", "c2lnbmF0dXJl", "img_signature_hash_method",
                "SHA-256", "img_signature_key_type", "RSA-PSS", "img_signature_certificate_uuid", UUID));
        p.putAll(changes);
        p.values().removeIf(String::isEmpty);
        return new UploadSubject("id", "raw", 10, p, CALLER, false);
    }

    static String refusal(SignatureFilter f, UploadSubject s) {
        UploadRefusedException e = assertThrows(UploadRefusedException.class, () -> f.open(s));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().startsWith("Signature verification failed: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void anImageWithoutAllFourPropertiesIsNotChecked() throws Exception {
        SignatureFilter f = filter();
        assertEquals("signature", f.name());
        assertNull(f.open(new UploadSubject("id", "raw", -1, Map.of(), CALLER, false)));
        assertNull(f.open(signed(Map.of("img_signature_certificate_uuid", ""))));
    }

    @Test
    void badPropertiesAndUnknownCertificatesAreRefusedBeforeAByteIsRead() {
        SignatureFilter f = filter();
        assertTrue(refusal(f, signed(Map.of("img_signature", "not base64!"))).contains("not base64"));
        assertTrue(refusal(f, signed(Map.of("img_signature_hash_method", "MD5"))).contains("MD5 is not one of"));
        assertTrue(refusal(f, signed(Map.of("img_signature_certificate_uuid", "x"))).contains("is not a UUID"));
        assertTrue(refusal(f, signed(Map.of())).contains("cannot be found"), "no source holds it");
    }

    @Test
    void sourcesAreAskedByRankingAndTheirFailuresAreRefusals() {
        SignatureFilter f = filter();
        List<String> asked = new ArrayList<>();
        f.addCertificateSource(named("low", asked), Map.of("service.ranking", 0, "service.id", 1L));
        f.addCertificateSource(named("high", asked), Map.of("service.ranking", 100, "service.id", 2L));
        f.addCertificateSource(named("high-newer", asked), Map.of("service.ranking", 100, "service.id", 3L));
        refusal(f, signed(Map.of()));
        assertEquals(List.of("high", "high-newer", "low"), asked);
        CertificateSource broken = (uuid, caller) -> {
            throw new IllegalStateException("the key manager is unreachable");
        };
        f.addCertificateSource(broken, Map.of("service.ranking", 200, "service.id", 4L));
        assertTrue(refusal(f, signed(Map.of())).contains("the key manager is unreachable"));
        f.removeCertificateSource(broken);
        asked.clear();
        refusal(f, signed(Map.of()));
        assertEquals(List.of("high", "high-newer", "low"), asked);
    }

    static CertificateSource named(String name, List<String> asked) {
        return (uuid, caller) -> {
            asked.add(name);
            return Optional.empty();
        };
    }
}
