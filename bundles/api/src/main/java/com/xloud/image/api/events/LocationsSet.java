package com.xloud.image.api.events;

import com.xloud.image.api.images.ImageLocation;
import java.util.List;

/**
 * The image's locations are now {@code locations}, in this order (a JSON-patch add, replace or
 * remove on {@code /locations}); a store's first location is the one its data is read from.
 */
public record LocationsSet(String imageId, Origin origin, List<ImageLocation> locations) implements ImageEvent {
    public LocationsSet {
        locations = List.copyOf(locations);
    }
}
