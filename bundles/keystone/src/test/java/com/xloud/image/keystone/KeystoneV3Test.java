package com.xloud.image.keystone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeystoneV3Test {
    static final String CATALOG = """
            [{"type": "image", "endpoints": [
                {"interface": "internal", "region_id": "RegionOne", "url": "http://internal:9292"},
                {"interface": "public", "region_id": "RegionOne", "url": "http://one:9292/"},
                {"interface": "public", "region": "regionTwo", "url": "http://two:9292"}]},
             {"type": "object-store", "endpoints": [
                {"interface": "public", "region_id": "RegionOne", "url": "http://swift:8080/v1/AUTH_p"}]}]
            """;

    @Test
    void endpointsAreFoundByTypeInterfaceAndRegionWithoutRegardToCase() throws Exception {
        JsonNode catalog = new ObjectMapper().readTree(CATALOG);
        assertEquals(Optional.of("http://one:9292"), KeystoneV3.endpoint(catalog, "image", "regionone", "public"),
                "region ids without regard to case, the trailing slash dropped");
        assertEquals(Optional.of("http://two:9292"), KeystoneV3.endpoint(catalog, "image", "RegionTwo", "public"),
                "the older 'region' field");
        assertEquals(Optional.of("http://internal:9292"), KeystoneV3.endpoint(catalog, "image", "RegionOne", "internal"));
        assertEquals(Optional.of("http://swift:8080/v1/AUTH_p"), KeystoneV3.endpoint(catalog, "object-store", "", "public"),
                "an empty region: any");
        assertEquals(Optional.empty(), KeystoneV3.endpoint(catalog, "image", "RegionThree", "public"));
        assertEquals(Optional.empty(), KeystoneV3.endpoint(catalog, "volume", "", "public"));
    }

    @Test
    void anUnreachableKeystoneIsARefusalWithStatusZeroThatNamesNoSecret() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        KeystoneV3 keystone = new KeystoneV3("http://127.0.0.1:" + port + "/v3/", Duration.ofSeconds(2));
        assertEquals("http://127.0.0.1:" + port + "/v3", keystone.authUrl());
        KeystoneV3.Refused refused = assertThrows(KeystoneV3.Refused.class, () -> keystone.issue(
                new KeystoneV3.Credentials("glance", "s3cret", "Default", "service", "Default"), false));
        assertEquals(0, refused.status());
        assertTrue(!refused.getMessage().contains("s3cret"), refused.getMessage());
        assertEquals(0, assertThrows(KeystoneV3.Refused.class, () -> keystone.validate("a", "b")).status());
        assertTrue(!new KeystoneV3.Credentials("glance", "s3cret", "D", "p", "D").toString().contains("s3cret"));
    }
}
