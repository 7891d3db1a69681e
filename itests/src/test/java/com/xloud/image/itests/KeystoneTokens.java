package com.xloud.image.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Project-scoped password tokens from a Keystone of keystone.sh (each user's password is its name + "pw"). */
final class KeystoneTokens {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private KeystoneTokens() {
    }

    static String token(String auth, String user, String project) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(auth + "/auth/tokens?nocatalog"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"" + user
                                + "\",\"domain\":{\"id\":\"default\"},\"password\":\"" + user + "pw\"}}},\"scope\":"
                                + "{\"project\":{\"name\":\"" + project + "\",\"domain\":{\"id\":\"default\"}}}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return r.headers().firstValue("X-Subject-Token").orElseThrow();
    }
}
