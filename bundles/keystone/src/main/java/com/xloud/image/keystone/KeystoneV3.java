package com.xloud.image.keystone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Keystone v3 identity API at one URL, as this service uses it: password tokens (the image
 * service's own, a Swift store's), the validation of a caller's token, a caller's service catalog,
 * and finding an endpoint in a catalog. Every failure is a {@link Refused} with Keystone's status
 * (0 when Keystone could not be reached), for the caller to turn into its own answer; no password
 * and no token appears in a message.
 */
public final class KeystoneV3 {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A user's password, scoped to a project. */
    public record Credentials(String user, String password, String userDomain, String project, String projectDomain) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + ", project=" + project + "]";
        }
    }

    /**
     * A token and what Keystone says of it: who (user and project, null when unscoped), the roles,
     * when it expires, and the service catalog when it was asked for (else an empty array).
     */
    public record Token(String id, Instant expiresAt, String userId, String userName, String projectId,
                        String projectName, List<String> roles, JsonNode catalog) {
        @Override
        public String toString() {
            return "Token[user=" + userName + ", project=" + projectName + ", expires=" + expiresAt + "]";
        }
    }

    /** Keystone did not give what was asked: its HTTP status, or 0 when it could not be reached or read. */
    public static final class Refused extends Exception {
        private final int status;

        public Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final String authUrl;
    private final Duration timeout;
    private final HttpClient http;

    /** {@code authUrl}: the v3 root (…/v3); {@code timeout}: for connecting and for each answer. */
    public KeystoneV3(String authUrl, Duration timeout) {
        this.authUrl = authUrl.replaceAll("/+$", "");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    public String authUrl() {
        return authUrl;
    }

    /** {@code POST /auth/tokens}: a project-scoped password token, with its catalog when {@code catalog}. */
    public Token issue(Credentials c, boolean catalog) throws Refused {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode auth = body.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        user.put("name", c.user()).put("password", c.password());
        user.putObject("domain").put("name", c.userDomain());
        ObjectNode project = auth.putObject("scope").putObject("project");
        project.put("name", c.project());
        project.putObject("domain").put("name", c.projectDomain());
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/auth/tokens" + (catalog ? "" : "?nocatalog")))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        String id = r.headers().firstValue("X-Subject-Token").orElse(null);
        if (r.statusCode() != 201 || id == null) {
            throw new Refused(r.statusCode(), "Keystone at " + authUrl + " answered " + r.statusCode()
                    + " to the password of user " + c.user() + " for project " + c.project());
        }
        return token(id, r.body());
    }

    /** {@code GET /auth/tokens?nocatalog}: what {@code subjectToken} speaks for, asked with {@code authToken}. */
    public Token validate(String authToken, String subjectToken) throws Refused {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/auth/tokens?nocatalog"))
                .header("X-Auth-Token", authToken).header("X-Subject-Token", subjectToken)
                .header("Accept", "application/json").GET());
        if (r.statusCode() != 200) {
            throw new Refused(r.statusCode(), "Keystone answered " + r.statusCode() + " to a token validation");
        }
        return token(subjectToken, r.body());
    }

    /** {@code GET /auth/catalog}: the service catalog of the caller whose token this is. */
    public JsonNode catalog(String token) throws Refused {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/auth/catalog")).header("X-Auth-Token", token)
                .header("Accept", "application/json").GET());
        if (r.statusCode() != 200) {
            throw new Refused(r.statusCode(), "Keystone answered " + r.statusCode() + " to the service catalog request");
        }
        try {
            return JSON.readTree(r.body()).path("catalog");
        } catch (IOException e) {
            throw new Refused(0, "Keystone's service catalog could not be read: " + e.getMessage());
        }
    }

    /**
     * The URL (without a trailing slash) of the first endpoint in {@code catalog} of service type
     * {@code type}, interface {@code endpointInterface} (public, internal, admin) and region
     * {@code region} (its {@code region_id}, or the older {@code region}, compared without regard to
     * case; empty: any region).
     */
    public static Optional<String> endpoint(JsonNode catalog, String type, String region, String endpointInterface) {
        String wanted = region == null ? "" : region.toLowerCase(Locale.ROOT);
        for (JsonNode service : catalog) {
            if (!type.equals(service.path("type").asText())) {
                continue;
            }
            for (JsonNode e : service.path("endpoints")) {
                String at = e.hasNonNull("region_id") ? e.get("region_id").asText() : e.path("region").asText();
                if ((wanted.isEmpty() || at.toLowerCase(Locale.ROOT).equals(wanted))
                        && endpointInterface.equals(e.path("interface").asText()) && e.hasNonNull("url")) {
                    return Optional.of(e.get("url").asText().replaceAll("/+$", ""));
                }
            }
        }
        return Optional.empty();
    }

    private static Token token(String id, String body) throws Refused {
        try {
            JsonNode t = JSON.readTree(body).path("token");
            List<String> roles = new ArrayList<>();
            t.path("roles").forEach(role -> roles.add(role.path("name").asText()));
            JsonNode project = t.path("project");
            JsonNode catalog = t.path("catalog");
            return new Token(id, Instant.parse(t.path("expires_at").asText()), t.path("user").path("id").asText(null),
                    t.path("user").path("name").asText(null), project.isMissingNode() ? null : project.path("id").asText(null),
                    project.isMissingNode() ? null : project.path("name").asText(null), List.copyOf(roles),
                    catalog.isArray() ? catalog : JSON.createArrayNode());
        } catch (IOException | RuntimeException e) {
            throw new Refused(0, "Keystone's token could not be read: " + e.getMessage());
        }
    }

    private URI uri(String path) {
        return URI.create(authUrl + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Refused {
        try {
            return http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Refused(0, "Keystone at " + authUrl + " cannot be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused(0, "interrupted while asking Keystone at " + authUrl);
        }
    }
}
