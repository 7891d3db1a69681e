package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A store could not remove data the image no longer uses; it is removed once the image is deleted. */
public record RecordLeftBehind(@TargetAggregateIdentifier String imageId, Origin origin, String storeId,
                               String location, String reason) {
}
