package com.xloud.image.core.internal.command;

import com.xloud.image.api.events.Origin;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The data of a deleted image was removed from its store. */
public record RecordScrub(@TargetAggregateIdentifier String imageId, Origin origin, String location) {
}
