package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Data of a deleted image (a location of it, or data it left behind) was removed from its store. */
public record RecordScrub(@TargetAggregateIdentifier String imageId, Origin origin, String location) {
}
