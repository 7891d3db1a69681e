package com.xloud.image.api.images;

/**
 * What of an image's locations a caller is shown: its {@code locations} (url and metadata) and
 * its {@code direct_url}, as Glance's show_multiple_locations and show_image_direct_url options
 * and its get_image_location policy decide. Nova and Cinder read them to clone RBD images.
 */
public record LocationView(boolean locations, boolean directUrl, boolean allowed) {
    public static final LocationView NONE = new LocationView(false, false, false);

    /**
     * As Glance: with locations shown, a caller the policy does not allow sees {@code "locations": []}
     * (and no direct_url).
     */
    public LocationView forbidden() {
        return new LocationView(locations, directUrl, false);
    }
}
