package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** DELETE /v2/stores/{store}/{id}: take the image's data out of one store. */
public record RemoveLocation(@TargetAggregateIdentifier String imageId, Origin origin, String storeId) {
}
