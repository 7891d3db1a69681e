package com.xloud.image.rest.internal;

import com.xloud.image.keystone.KeystoneV3;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates the tokens of API callers against Keystone v3, as keystonemiddleware's auth_token
 * does for Glance: {@code GET /v3/auth/tokens?nocatalog} with this service's own token (a
 * password token of its user, renewed before it expires or when Keystone refuses it) and the
 * caller's token as {@code X-Subject-Token}. A valid token's identity is cached until the token
 * expires or {@code cacheTime} passes, whichever comes first (revocations take effect within
 * {@code cacheTime}); tokens are cached by their SHA-256, never kept themselves.
 */
final class KeystoneAuth {
    private static final Logger LOG = LoggerFactory.getLogger(KeystoneAuth.class);
    private static final int CACHE_ENTRIES = 10_000;
    private static final Duration RENEW_BEFORE = Duration.ofSeconds(60);

    /** Glance's [keystone_authtoken] options. */
    record Settings(String authUrl, String wwwAuthenticateUri, String username, String password, String userDomain,
                    String projectName, String projectDomain, Duration cacheTime, List<String> serviceTokenRoles,
                    boolean serviceTokenRolesRequired) {
        Settings {
            if (authUrl == null || authUrl.isBlank()) {
                throw new IllegalArgumentException("auth.mode = keystone needs keystone.auth.url");
            }
            authUrl = authUrl.replaceAll("/+$", "");
            wwwAuthenticateUri = wwwAuthenticateUri == null || wwwAuthenticateUri.isBlank() ? authUrl : wwwAuthenticateUri;
        }
    }

    /** Who a valid token speaks for. {@code projectId} is null for a token without project scope. */
    record Identity(String userId, String userName, String projectId, String projectName, List<String> roles,
                    Instant expiresAt) {
    }

    /** The token is not valid (unknown, expired or revoked): the caller gets 401. */
    static final class InvalidToken extends Exception {
        InvalidToken(String message) {
            super(message);
        }
    }

    /** Keystone cannot be asked now: the caller gets 503. */
    static final class KeystoneUnavailable extends Exception {
        KeystoneUnavailable(String message) {
            super(message);
        }
    }

    private record Cached(Identity identity, Instant until) {
    }

    private final Settings settings;
    private final KeystoneV3 keystone;
    private final Map<String, Cached> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };
    private String serviceToken;
    private Instant serviceTokenExpires = Instant.EPOCH;
    /** How long before its expiry the service token is renewed: a minute, or a quarter of a short lifetime. */
    private Duration renewBefore = RENEW_BEFORE;

    KeystoneAuth(Settings settings) {
        this.settings = settings;
        this.keystone = new KeystoneV3(settings.authUrl(), Duration.ofSeconds(10));
    }

    /** The Keystone client this validation asks (the service catalog uses it too). */
    KeystoneV3 keystone() {
        return keystone;
    }

    Settings settings() {
        return settings;
    }

    Identity validate(String token) throws InvalidToken, KeystoneUnavailable {
        if (token == null || token.isBlank() || token.length() > 8192) {
            throw new InvalidToken("no usable token");
        }
        String key = sha256(token);
        Instant now = Instant.now();
        synchronized (cache) {
            Cached c = cache.get(key);
            if (c != null) {
                if (now.isBefore(c.until())) {
                    return c.identity();
                }
                cache.remove(key);
                if (!now.isBefore(c.identity().expiresAt())) {
                    throw new InvalidToken("the token expired at " + c.identity().expiresAt());
                }
            }
        }
        Identity identity = ask(token, false);
        if (!now.isBefore(identity.expiresAt())) {
            throw new InvalidToken("the token expired at " + identity.expiresAt());
        }
        Instant until = now.plus(settings.cacheTime());
        synchronized (cache) {
            cache.put(key, new Cached(identity, until.isBefore(identity.expiresAt()) ? until : identity.expiresAt()));
        }
        return identity;
    }

    private Identity ask(String token, boolean renewed) throws InvalidToken, KeystoneUnavailable {
        try {
            KeystoneV3.Token t = keystone.validate(serviceToken(renewed), token);
            return new Identity(t.userId(), t.userName(), t.projectId(), t.projectName(), t.roles(), t.expiresAt());
        } catch (KeystoneV3.Refused e) {
            switch (e.status()) {
                case 404 -> throw new InvalidToken("Keystone does not know the token (invalid, expired or revoked)");
                case 401 -> {
                    if (renewed) {
                        throw new KeystoneUnavailable("Keystone refuses this service's own token");
                    }
                    return ask(token, true);
                }
                case 403 -> {
                    LOG.error("Keystone does not let user {} validate tokens (403): give it the service or admin role",
                            settings.username());
                    throw new KeystoneUnavailable("this service may not validate tokens");
                }
                default -> throw new KeystoneUnavailable(e.getMessage());
            }
        }
    }

    /** This service's own token: a password token of its user, renewed a minute before it expires. */
    private synchronized String serviceToken(boolean forceRenew) throws KeystoneUnavailable {
        if (!forceRenew && serviceToken != null && Instant.now().plus(renewBefore).isBefore(serviceTokenExpires)) {
            return serviceToken;
        }
        KeystoneV3.Token t;
        try {
            t = keystone.issue(new KeystoneV3.Credentials(settings.username(), settings.password(),
                    settings.userDomain(), settings.projectName(), settings.projectDomain()), false);
        } catch (KeystoneV3.Refused e) {
            if (e.status() == 0) {
                throw new KeystoneUnavailable(e.getMessage());
            }
            LOG.error("Keystone refused the image service's credentials (user {}, project {}): {}", settings.username(),
                    settings.projectName(), e.status());
            throw new KeystoneUnavailable("Keystone refused this service's credentials (" + e.status() + ")");
        }
        serviceToken = t.id();
        serviceTokenExpires = t.expiresAt();
        Duration lifetime = Duration.between(Instant.now(), serviceTokenExpires);
        renewBefore = lifetime.dividedBy(4).compareTo(RENEW_BEFORE) < 0 ? lifetime.dividedBy(4) : RENEW_BEFORE;
        LOG.info("service token of user {} obtained from Keystone, valid until {}", settings.username(),
                serviceTokenExpires);
        return serviceToken;
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
