package com.xloud.image.store.rbd.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Glance's RBD location: {@code rbd://<fsid>/<pool>/<image>/<snapshot>}, each part url-quoted. */
record RbdLocation(String fsid, String pool, String image, String snapshot) {

    URI uri() {
        return URI.create("rbd://" + q(fsid) + "/" + q(pool) + "/" + q(image) + "/" + q(snapshot));
    }

    static RbdLocation parse(URI location) {
        if (!"rbd".equals(location.getScheme())) {
            throw new IllegalArgumentException("not an rbd location: " + location);
        }
        String[] path = location.getRawPath() == null ? new String[0] : location.getRawPath().split("/");
        if (location.getRawAuthority() == null || path.length != 4) {
            throw new IllegalArgumentException("not an rbd://fsid/pool/image/snapshot location: " + location);
        }
        return new RbdLocation(uq(location.getRawAuthority()), uq(path[1]), uq(path[2]), uq(path[3]));
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String uq(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
