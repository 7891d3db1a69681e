package com.xloud.image.api.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The digests Glance records for an image (md5 as {@code checksum}, and the multihash, sha512 by
 * default), computed while the data streams through {@link #wrap(InputStream)}: no second pass.
 */
public final class Hashing {
    private final MessageDigest md5;
    private final MessageDigest multihash;
    private final String algorithm;
    private long bytes;

    public Hashing(String algorithm) {
        this.algorithm = algorithm;
        try {
            this.md5 = MessageDigest.getInstance("MD5");
            this.multihash = MessageDigest.getInstance(javaName(algorithm));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unsupported hashing algorithm " + algorithm, e);
        }
    }

    private static String javaName(String glanceName) {
        return switch (glanceName) {
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            case "md5" -> "MD5";
            default -> throw new IllegalArgumentException("unsupported hashing algorithm " + glanceName);
        };
    }

    /** A stream that feeds every byte read through both digests. */
    public InputStream wrap(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    update(new byte[] {(byte) b}, 0, 1);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) {
                    update(buf, off, n);
                }
                return n;
            }

            @Override
            public long skip(long n) {
                throw new UnsupportedOperationException("a hashed stream cannot skip");
            }
        };
    }

    private void update(byte[] buf, int off, int len) {
        md5.update(buf, off, len);
        multihash.update(buf, off, len);
        bytes += len;
    }

    public String algorithm() {
        return algorithm;
    }

    public long bytes() {
        return bytes;
    }

    /** Ends both digests; call once, after the stream is exhausted. */
    public StoredImage result(java.net.URI location, java.util.Map<String, String> metadata) {
        HexFormat hex = HexFormat.of();
        return new StoredImage(location, bytes, hex.formatHex(md5.digest()), algorithm,
                hex.formatHex(multihash.digest()), metadata);
    }
}
