package com.xloud.image.registry;

import java.util.Map;

/**
 * Data in stores that no image uses, per store id: {@code waiting} belongs to deleted images and
 * goes with the scrubber's next try; {@code keptWithLiveImages} was left behind by images that
 * still exist and goes once they are deleted.
 */
public record StrayCounts(Map<String, Long> waiting, Map<String, Long> keptWithLiveImages) {
}
