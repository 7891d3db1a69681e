package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** glance-direct: move a queued image to uploading before its data streams into staging. */
public record StartStaging(@TargetAggregateIdentifier String imageId, Origin origin) {
}
