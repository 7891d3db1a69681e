package com.xloud.image.store.swift.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.xloud.image.api.store.SizeMismatchException;
import com.xloud.image.api.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpMethod;

/**
 * How image data is written into Swift: one object when it is small enough, else segments of the
 * segment size streamed one after the other and a Static Large Object manifest that joins them.
 */
final class SwiftWrite {
    /** Swift's limit of segments in one Static Large Object manifest (slo max_manifest_segments). */
    static final int MAX_SEGMENTS = 1000;
    static final int BUFFER = 1 << 20;
    private static final long MIB = 1L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SwiftClient swift;
    private final SwiftImageStore.Layout layout;

    SwiftWrite(SwiftClient swift, SwiftImageStore.Layout layout) {
        this.swift = swift;
        this.layout = layout;
    }

    static void checkEnd(PushbackInputStream in, long expectedSize, long total) throws IOException {
        if (expectedSize >= 0 && !atEnd(in)) {
            throw new SizeMismatchException(expectedSize, total + 1);
        }
    }

    static boolean atEnd(PushbackInputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            return true;
        }
        in.unread(b);
        return false;
    }

    /**
     * Segments of the segment size, each streamed in one PUT, then the manifest that joins them.
     * While Swift finishes a segment (it syncs the object to disk before it answers), the next one
     * already streams: the answer of a segment is awaited once the following segment's bytes are
     * sent and before that segment is ended, so at most one segment is ever awaited and a refused
     * one stops the upload with the next still open (aborted, never stored). Every segment is named
     * in {@code written} before its PUT starts, so a failure removes it too.
     */
    long segments(String container, String imageId, PushbackInputStream in, long expectedSize,
                               List<String> written) throws IOException {
        ArrayNode manifest = JSON.createArrayNode();
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        Segment sent = null;
        try {
            for (int i = 1; expectedSize >= 0 ? total < expectedSize : i == 1 || !atEnd(in); i++) {
                if (i > MAX_SEGMENTS) {
                    throw new StoreException("the image does not fit in " + MAX_SEGMENTS + " segments of "
                            + layout.segmentSize() / MIB + " MiB of Swift store " + layout.storeId()
                            + ": raise swift.store.large.object.chunk.size");
                }
                String name = String.format("%s-%05d", imageId, i);
                written.add(SwiftClient.path(container, name));
                long size = expectedSize >= 0 ? Math.min(layout.segmentSize(), expectedSize - total) : layout.segmentSize();
                Segment segment = stream(container, name, in, size, total, expectedSize, buffer);
                if (sent != null) {
                    Segment previous = sent;
                    sent = null; // stored, refused or aborted once its answer is awaited
                    try {
                        addToManifest(manifest, container, previous, previous.upload().etag());
                    } catch (RuntimeException e) {
                        segment.upload().abort(e);
                        throw e;
                    }
                }
                segment.upload().end();
                sent = segment;
                total += segment.bytes();
                if (segment.bytes() < layout.segmentSize()) {
                    break;
                }
            }
            Segment last = sent;
            sent = null;
            addToManifest(manifest, container, last, last.upload().etag());
        } finally {
            if (sent != null) {
                // an ended segment is awaited before anything is removed: a removal racing its
                // PUT could leave it stored
                sent.upload().settle();
            }
        }
        String path = SwiftClient.path(container, imageId);
        written.add(path);
        ContentResponse r = swift.call(HttpMethod.PUT, path + "?multipart-manifest=put", Map.of(), manifest.toString());
        if (r.getStatus() != 201) {
            throw new StoreException("Swift refused the large object manifest of " + imageId + ": " + r.getStatus() + " "
                    + r.getContentAsString().strip());
        }
        return total;
    }

    private static void addToManifest(ArrayNode manifest, String container, Segment segment, String etag) {
        manifest.addObject().put("path", "/" + container + "/" + segment.name()).put("etag", etag)
                .put("size_bytes", segment.bytes());
    }

    /** One object whose bytes are sent; its PUT is not ended yet. */
    record Segment(String name, long bytes, SwiftClient.Upload upload) {
    }

    /**
     * Streams up to {@code limit} bytes of {@code in} into one object, which starts {@code before}
     * bytes into the image, leaving the PUT open for the caller to end. When the image size is
     * known ({@code expectedSize} ≥ 0) the object is exactly {@code limit} bytes long and sent with
     * that Content-Length; data that ends sooner is a size mismatch and the object is not kept.
     */
    Segment stream(String container, String name, InputStream in, long limit, long before, long expectedSize,
                           byte[] buffer) throws IOException {
        SwiftClient.Upload upload = swift.put(SwiftClient.path(container, name), expectedSize >= 0 ? limit : -1);
        long count = 0;
        try {
            OutputStream out = upload.body();
            while (count < limit) {
                int want = (int) Math.min(buffer.length, limit - count);
                int n = in.readNBytes(buffer, 0, want);
                if (n > 0) {
                    try {
                        out.write(buffer, 0, n);
                    } catch (IOException e) {
                        throw upload.failed(e);
                    }
                    count += n;
                }
                if (n < want) {
                    break;
                }
            }
            if (expectedSize >= 0 && count < limit) {
                throw new SizeMismatchException(expectedSize, before + count);
            }
        } catch (IOException | RuntimeException e) {
            upload.abort(e);
            throw e;
        }
        return new Segment(name, count, upload);
    }
}
