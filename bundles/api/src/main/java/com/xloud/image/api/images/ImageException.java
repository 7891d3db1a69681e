package com.xloud.image.api.images;

/** A request the domain refuses, with the HTTP family Glance answers it with. */
public class ImageException extends RuntimeException {

    /** The error families; the REST layer maps each to a status code once. */
    public enum Kind {
        BAD_REQUEST(400), FORBIDDEN(403), NOT_FOUND(404), CONFLICT(409), GONE(410), TOO_LARGE(413),
        UNSUPPORTED_MEDIA_TYPE(415), RANGE_NOT_SATISFIABLE(416), UNAVAILABLE(503);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;

    public ImageException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ImageException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static ImageException notFound(String id) {
        return new ImageException(Kind.NOT_FOUND, "No image found with ID " + id);
    }

    public static ImageException badRequest(String message) {
        return new ImageException(Kind.BAD_REQUEST, message);
    }

    public static ImageException forbidden(String message) {
        return new ImageException(Kind.FORBIDDEN, message);
    }

    public static ImageException conflict(String message) {
        return new ImageException(Kind.CONFLICT, message);
    }
}
