package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record FinishCopy(@TargetAggregateIdentifier String imageId, Origin origin, String taskId,
                         List<String> failedStores, boolean succeeded, String message) {
}
