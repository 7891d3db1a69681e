package com.xloud.image.rest.internal;

import com.xloud.image.api.images.ByteRange;
import com.xloud.image.api.images.ImageDownload;
import com.xloud.image.api.images.ImageException;
import com.xloud.image.api.images.ImageDataService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code /v2/images/{id}/file}: streaming upload and download, with Range. */
@Path("/v2/images/{id}/file")
public final class ImageDataResource {
    private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");
    private static final int BUFFER = 256 * 1024;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ImageDataResource.class);

    private final ImageDataService images;

    ImageDataResource(ImageDataService images) {
        this.images = images;
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    public Response upload(@Context ContainerRequestContext req, @PathParam("id") String id,
                           @HeaderParam("Content-Length") String contentLength,
                           @HeaderParam("x-openstack-image-size") String announcedSize,
                           @HeaderParam("X-Image-Meta-Store") String store, InputStream body) {
        images.upload(RequestIdentity.of(req), id, body, expectedSize(req, contentLength, announcedSize), store);
        return Response.noContent().build();
    }

    /** The announced byte count of an image body (-1: unknown), after Glance's media type check. */
    static long expectedSize(ContainerRequestContext req, String contentLength, String announcedSize) {
        MediaType type = req.getMediaType();
        if (type == null || !type.isCompatible(MediaType.APPLICATION_OCTET_STREAM_TYPE) || type.isWildcardType()) {
            throw new ImageException(ImageException.Kind.UNSUPPORTED_MEDIA_TYPE, "The request media type "
                    + (type == null ? "(none)" : type) + " is not supported by this server; use application/octet-stream.");
        }
        long expected = -1;
        if (contentLength != null) {
            expected = size(contentLength, "Content-Length");
        }
        if (announcedSize != null) {
            long announced = size(announcedSize, "x-openstack-image-size");
            if (expected >= 0 && announced != expected) {
                throw ImageException.badRequest("x-openstack-image-size " + announced
                        + " does not match Content-Length " + expected);
            }
            expected = announced;
        }
        return expected;
    }

    private static long size(String v, String header) {
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ImageException.badRequest("Invalid " + header + " header: " + v);
        }
    }

    @GET
    public Response download(@Context ContainerRequestContext req, @Context org.eclipse.jetty.server.Request connection,
                             @PathParam("id") String id, @HeaderParam("Range") String rangeHeader) {
        ImageDownload d = images.download(RequestIdentity.of(req), id, range(rangeHeader));
        if (d == null) {
            return Response.noContent().build();
        }
        StreamingOutput body = out -> {
            try (InputStream in = d.data()) {
                byte[] buf = new byte[BUFFER];
                long sent = 0;
                while (sent < d.length()) {
                    int n;
                    try {
                        n = in.read(buf, 0, (int) Math.min(buf.length, d.length() - sent));
                        if (n < 0) {
                            throw new EOFException("the store ended the data at byte " + sent + " of " + d.length());
                        }
                    } catch (IOException | RuntimeException e) {
                        throw brokenOff(connection, id, sent, d.length(), e);
                    }
                    out.write(buf, 0, n);
                    sent += n;
                }
            }
        };
        Response.ResponseBuilder r = Response.status(d.partial() ? 206 : 200)
                .type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Length", d.length())
                .entity(body);
        if (d.checksum() != null) {
            r.header("Content-MD5", d.checksum());
        }
        if (d.partial()) {
            r.header("Content-Range", "bytes " + d.offset() + "-" + (d.offset() + d.length() - 1) + "/" + d.totalSize());
        }
        return r.build();
    }

    /**
     * The store failed in the middle of a download: the status line and the length are out
     * already, so the only honest answer is to cut the connection. The client then sees fewer
     * bytes than announced (an error), never a shorter body that looks complete.
     */
    private static IOException brokenOff(org.eclipse.jetty.server.Request connection, String id, long sent, long length,
                                         Exception cause) {
        LOG.warn("download of image {} broke off after {} of {} bytes: {}", id, sent, length, cause.getMessage());
        connection.getConnectionMetaData().getConnection().getEndPoint().close(cause);
        return cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
    }

    private static ByteRange range(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Matcher m = RANGE.matcher(header.trim());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            throw new ImageException(ImageException.Kind.RANGE_NOT_SATISFIABLE, "Invalid or unsupported Range: " + header);
        }
        try {
            if (m.group(1).isEmpty()) {
                return new ByteRange(-1, Long.parseLong(m.group(2)));
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? -1 : Long.parseLong(m.group(2));
            if (last >= 0 && last < first) {
                throw new ImageException(ImageException.Kind.RANGE_NOT_SATISFIABLE, "Invalid Range: " + header);
            }
            return new ByteRange(first, last);
        } catch (NumberFormatException e) {
            throw new ImageException(ImageException.Kind.RANGE_NOT_SATISFIABLE, "Invalid Range: " + header);
        }
    }
}
