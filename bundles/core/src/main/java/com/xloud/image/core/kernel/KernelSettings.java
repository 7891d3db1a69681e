package com.xloud.image.core.kernel;

import com.xloud.image.api.images.LocationView;
import com.xloud.image.core.command.Limits;

/**
 * The settings of the image service the use cases outside its bundle need: this node, the
 * digest Glance calls os_hash_algo, the size cap, the default store, the per-image quotas and
 * which location fields images show (Glance: show_multiple_locations, show_image_direct_url).
 */
public record KernelSettings(String nodeId, String hashingAlgorithm, long imageSizeCap, String defaultStore,
                             Limits limits, LocationView shownLocations) {
}
