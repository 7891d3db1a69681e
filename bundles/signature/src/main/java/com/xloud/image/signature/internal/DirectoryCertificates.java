package com.xloud.image.signature.internal;

import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.signature.CertificateSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * The certificates of a folder, by UUID ({@code <uuid>.pem}, {@code .der}, {@code .crt}; PEM or
 * DER whatever the name): the first {@link CertificateSource} asked (ranking 100), a key manager's
 * after it. It reads the configuration {@link SignatureFilter} designates.
 */
@Component(service = CertificateSource.class, configurationPid = "com.xloud.image.signature",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = "service.ranking:Integer=100")
public final class DirectoryCertificates implements CertificateSource {
    private final Path dir;

    @Activate
    public DirectoryCertificates(SignatureConfig config, BundleContext context) {
        String dataDir = context.getProperty("xloud.data.dir");
        this.dir = config.signature_certificate_dir().isBlank()
                ? (dataDir == null ? null : Path.of(dataDir, "certificates"))
                : Path.of(config.signature_certificate_dir());
    }

    @Override
    public Optional<X509Certificate> certificate(String uuid, RequestContext caller) {
        if (dir == null) {
            return Optional.empty();
        }
        for (String ext : List.of(".pem", ".der", ".crt", "")) {
            Path f = dir.resolve(uuid + ext);
            if (Files.isRegularFile(f)) {
                try (InputStream in = Files.newInputStream(f)) {
                    return Optional.of((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
                } catch (IOException | GeneralSecurityException | ClassCastException e) {
                    throw new IllegalStateException("the certificate " + uuid + " cannot be read: " + e.getMessage(), e);
                }
            }
        }
        return Optional.empty();
    }
}
