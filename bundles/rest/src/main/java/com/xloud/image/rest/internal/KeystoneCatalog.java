package com.xloud.image.rest.internal;

import com.xloud.image.keystone.KeystoneV3;
import com.xloud.image.api.identity.ServiceCatalog;
import com.xloud.image.api.images.RequestContext;
import java.io.IOException;
import java.util.Optional;

/**
 * The caller's service catalog from Keystone v3 ({@code GET /v3/auth/catalog} with the caller's
 * own token), read when asked: only glance-download needs it, so token validation stays without
 * the catalog. An endpoint matches as in Glance: the service type, the region without regard to
 * case ({@code region_id}, or the older {@code region}), and the interface.
 */
final class KeystoneCatalog implements ServiceCatalog {

    private final KeystoneV3 keystone;

    KeystoneCatalog(KeystoneV3 keystone) {
        this.keystone = keystone;
    }

    @Override
    public Optional<String> endpoint(RequestContext caller, String type, String region, String endpointInterface)
            throws IOException {
        if (caller.authToken() == null) {
            throw new IOException("the request carries no token to read the service catalog with");
        }
        try {
            return KeystoneV3.endpoint(keystone.catalog(caller.authToken()), type, region, endpointInterface);
        } catch (KeystoneV3.Refused e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
