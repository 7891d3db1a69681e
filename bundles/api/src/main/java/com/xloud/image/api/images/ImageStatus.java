package com.xloud.image.api.images;

import java.util.Locale;

/** Glance's image states. */
public enum ImageStatus {
    QUEUED, SAVING, UPLOADING, IMPORTING, ACTIVE, KILLED, DELETED, PENDING_DELETE, DEACTIVATED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ImageStatus fromWire(String s) {
        for (ImageStatus st : values()) {
            if (st.wire().equals(s)) {
                return st;
            }
        }
        throw new IllegalArgumentException("unknown image status " + s);
    }
}
