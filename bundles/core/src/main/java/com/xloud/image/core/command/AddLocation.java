package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record AddLocation(@TargetAggregateIdentifier String imageId, Origin origin, String storeId, String location) {
}
