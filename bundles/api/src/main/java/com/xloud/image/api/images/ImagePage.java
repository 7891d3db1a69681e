package com.xloud.image.api.images;

import java.util.List;

/** One page of a listing; {@code more} tells whether a next page exists. */
public record ImagePage(List<Image> images, boolean more) {
    public ImagePage {
        images = List.copyOf(images);
    }
}
