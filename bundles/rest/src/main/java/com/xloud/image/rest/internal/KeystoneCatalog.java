package com.xloud.image.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.xloud.image.api.identity.ServiceCatalog;
import com.xloud.image.api.images.RequestContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The caller's service catalog from Keystone v3 ({@code GET /v3/auth/catalog} with the caller's
 * own token), read when asked: only glance-download needs it, so token validation stays without
 * the catalog. An endpoint matches as in Glance: the service type, the region without regard to
 * case ({@code region_id}, or the older {@code region}), and the interface.
 */
final class KeystoneCatalog implements ServiceCatalog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String authUrl;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    KeystoneCatalog(String authUrl) {
        this.authUrl = authUrl;
    }

    @Override
    public Optional<String> endpoint(RequestContext caller, String type, String region, String endpointInterface)
            throws IOException {
        if (caller.authToken() == null) {
            throw new IOException("the request carries no token to read the service catalog with");
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(authUrl + "/auth/catalog"))
                .timeout(Duration.ofSeconds(10)).header("X-Auth-Token", caller.authToken())
                .header("Accept", "application/json").GET().build();
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the service catalog");
        }
        if (r.statusCode() != 200) {
            throw new IOException("Keystone answered " + r.statusCode() + " to the service catalog request");
        }
        JsonNode catalog = JSON.readTree(r.body()).path("catalog");
        String wanted = region.toLowerCase(Locale.ROOT);
        for (JsonNode service : catalog) {
            if (!type.equals(service.path("type").asText())) {
                continue;
            }
            for (JsonNode e : service.path("endpoints")) {
                String at = e.hasNonNull("region_id") ? e.get("region_id").asText() : e.path("region").asText();
                if (at.toLowerCase(Locale.ROOT).equals(wanted) && endpointInterface.equals(e.path("interface").asText())
                        && e.hasNonNull("url")) {
                    return Optional.of(e.get("url").asText().replaceAll("/+$", ""));
                }
            }
        }
        return Optional.empty();
    }
}
