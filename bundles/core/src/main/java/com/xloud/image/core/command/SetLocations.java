package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import com.xloud.image.api.images.ImageLocation;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A JSON-patch on {@code /locations}: the image's locations become {@code locations}. A queued
 * image becomes active with the first one's {@code size} and the digests of the validation data
 * (each null when not given).
 */
public record SetLocations(@TargetAggregateIdentifier String imageId, Origin origin, List<ImageLocation> locations,
                           Long size, String checksum, String hashAlgo, String hashValue) {
}
