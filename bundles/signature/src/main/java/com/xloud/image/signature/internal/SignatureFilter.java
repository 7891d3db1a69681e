package com.xloud.image.signature.internal;

import com.xloud.image.api.services.RankedServices;
import com.xloud.image.api.signature.CertificateSource;
import com.xloud.image.api.upload.UploadCheck;
import com.xloud.image.api.upload.UploadFilter;
import com.xloud.image.api.upload.UploadRefusedException;
import com.xloud.image.api.upload.UploadSubject;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Signature verification as an upload filter (after the inspection: ranking 100): an image with
 * all four {@code img_signature*} properties is verified on every upload and import, its
 * certificate found through the {@link CertificateSource} services in the order of their ranking.
 * A bad signature, certificate or property is refused with 400, as Glance does.
 */
@Component(service = UploadFilter.class, configurationPid = "com.xloud.image.signature",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = "service.ranking:Integer=100")
@Designate(ocd = SignatureConfig.class)
public final class SignatureFilter implements UploadFilter {
    private final ImageSignature.Settings settings;
    private final RankedServices<CertificateSource> sources = new RankedServices<>();

    @Activate
    public SignatureFilter(SignatureConfig config) {
        this.settings = new ImageSignature.Settings(config.signature_certificate_validation(),
                config.signature_trusted_ca_dir().isBlank() ? null : Path.of(config.signature_trusted_ca_dir()));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addCertificateSource(CertificateSource source, Map<String, Object> properties) {
        sources.add(source, properties);
    }

    public void removeCertificateSource(CertificateSource source) {
        sources.remove(source);
    }

    /** The certificate sources, highest ranking first, then the older service. */
    private List<CertificateSource> ordered() {
        return sources.ordered();
    }

    @Override
    public String name() {
        return "signature";
    }

    @Override
    public UploadCheck open(UploadSubject subject) throws UploadRefusedException {
        ImageSignature signature = ImageSignature.of(subject.properties(), subject.caller(), settings, this::ordered);
        if (signature == null) {
            return null; // not signed
        }
        return new UploadCheck() {
            @Override
            public InputStream wrap(InputStream data) {
                return signature.feed(data);
            }

            @Override
            public Map<String, Object> complete() throws UploadRefusedException {
                signature.verify();
                return Map.of();
            }
        };
    }
}
