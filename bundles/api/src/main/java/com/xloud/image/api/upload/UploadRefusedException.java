package com.xloud.image.api.upload;

import java.io.IOException;

/**
 * A filter refuses the data: the upload answers {@link #status()} with the reason, an import
 * fails with it, and nothing of the data stays stored.
 */
public class UploadRefusedException extends IOException {
    private final int status;

    /** {@code status}: the HTTP status of the refusal (415 for data of the wrong kind, 400 for a bad request). */
    public UploadRefusedException(String reason, int status) {
        super(reason);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a refusal's status is a 4xx or 5xx, not " + status);
        }
        this.status = status;
    }

    public int status() {
        return status;
    }
}
