package com.xloud.image.core.command;

import com.xloud.image.api.events.Origin;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

public record RecordImportStep(@TargetAggregateIdentifier String imageId, Origin origin, String taskId, String step,
                               Long stagedBytes) {
}
