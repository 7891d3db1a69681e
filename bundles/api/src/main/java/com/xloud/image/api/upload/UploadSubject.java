package com.xloud.image.api.upload;

import com.xloud.image.api.images.RequestContext;
import java.util.Map;

/**
 * What a filter knows of the data it is offered: the image (its id, its {@code disk_format} the
 * data must be in, its extra properties), the announced size (-1: unknown), who sends it, and
 * whether it comes from an import (the data was staged or downloaded first).
 */
public record UploadSubject(String imageId, String diskFormat, long expectedSize, Map<String, String> properties,
                            RequestContext caller, boolean imported) {
    public UploadSubject {
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }
}
