package com.xloud.image.api.upload;

import java.io.InputStream;
import java.util.Map;

/** One filter's check of one upload. */
public interface UploadCheck {

    /**
     * The stream the next filter (or the store) reads instead of {@code data}. Reading it may
     * throw {@link UploadRefusedException}: the store then drops what it wrote.
     */
    InputStream wrap(InputStream data);

    /**
     * Called once the data was read to its end and stored: a last refusal (the stored data is
     * then removed), or attributes the image takes, by their wire names (such as
     * {@code virtual_size}; a null value says "not known").
     */
    default Map<String, Object> complete() throws UploadRefusedException {
        return Map.of();
    }
}
