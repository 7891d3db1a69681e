package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RemoveTag(@TargetAggregateIdentifier String imageId, Origin origin, String tag) {
}
