package com.xloud.image.barbican.internal;

import com.xloud.image.api.images.RequestContext;
import com.xloud.image.api.signature.CertificateSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate of a signed image as a Barbican secret ({@code GET /v1/secrets/{uuid}/payload}),
 * fetched with the caller's own Keystone token, as Glance does through castellan: a secret of
 * another project is not found. Without a caller's token (no-auth mode) it finds nothing.
 */
@Component(service = CertificateSource.class, configurationPid = "com.xloud.image.barbican",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = BarbicanConfig.class)
public final class BarbicanCertificates implements CertificateSource {
    private static final Logger LOG = LoggerFactory.getLogger(BarbicanCertificates.class);

    private final String url;
    private final Duration timeout;
    private final HttpClient http;

    @Activate
    public BarbicanCertificates(BarbicanConfig config) {
        this(config.barbican_url(), Duration.ofSeconds(config.barbican_timeout()));
    }

    BarbicanCertificates(String url, Duration timeout) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("barbican.url is required");
        }
        this.url = url.replaceAll("/+$", "");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        LOG.info("certificates of signed images are also looked up in Barbican at {}", this.url);
    }

    @Override
    public Optional<X509Certificate> certificate(String uuid, RequestContext caller) {
        if (caller.authToken() == null) {
            return Optional.empty();
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/secrets/" + uuid + "/payload"))
                .timeout(timeout).header("X-Auth-Token", caller.authToken())
                .header("Accept", "application/octet-stream").GET().build();
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                LOG.info("Barbican has no certificate {} for the caller ({})", uuid, r.statusCode());
                return Optional.empty();
            }
            return Optional.of((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(r.body())));
        } catch (CertificateException e) {
            LOG.warn("Barbican secret {} is not an X.509 certificate: {}", uuid, e.getMessage());
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("Barbican at {} cannot be reached: {}", url, e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
